export {
  type EvmSchemeOptions,
  type EvmSchemeOptions as ExactEvmSchemeOptions,
  ExactEvmScheme,
} from "./exactEvmScheme.js";
export { type EvmClientConfig, registerExactEvmScheme } from "./register.js";
export {
  type ClientEvmPublicClient,
  type ClientEvmSigner,
  type EvmReadContractArgs,
  toClientEvmSigner,
} from "./signer.js";
