export {
  type EvmSchemeConfig,
  type EvmSchemeConfig as ExactEvmSchemeConfig,
  type EvmSchemeConfigByChainId,
  type EvmSchemeConfigByChainId as ExactEvmSchemeConfigByChainId,
  type EvmSchemeOptions,
  type EvmSchemeOptions as ExactEvmSchemeOptions,
  ExactEvmScheme,
} from "./exactEvmScheme.js";
export {
  createPermit2ApprovalTx,
  erc20AllowanceAbi,
  getPermit2AllowanceReadParams,
  type Permit2AllowanceParams,
} from "./permit2Approval.js";
export { type EvmClientConfig, registerExactEvmScheme } from "./register.js";
export {
  type ClientEvmPublicClient,
  type ClientEvmSigner,
  type EvmReadContractArgs,
  toClientEvmSigner,
} from "./signer.js";
