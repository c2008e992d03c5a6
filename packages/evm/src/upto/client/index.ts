export type { EvmSchemeOptions as UptoEvmSchemeOptions } from "../../exact/client/exactEvmScheme.js";
export {
  createPermit2ApprovalTx,
  erc20AllowanceAbi,
  getPermit2AllowanceReadParams,
  type Permit2AllowanceParams,
} from "../../exact/client/permit2Approval.js";
export { UptoEvmScheme } from "./uptoEvmScheme.js";

/** RPC settings of an upto client scheme for every chain (official type name). */
export type UptoEvmSchemeConfig = { rpcUrl?: string };
/** RPC settings per chain id (official type name). */
export type UptoEvmSchemeConfigByChainId = Record<number, UptoEvmSchemeConfig>;
