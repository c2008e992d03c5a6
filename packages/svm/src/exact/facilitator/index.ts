export type { ExpectedTransfer, TransferCheck, TransferLimits } from "./checkTransfer.js";
export { checkTransferTransaction, DEFAULT_TRANSFER_LIMITS, resolveTransferLimits } from "./checkTransfer.js";
export { ExactSvmScheme, type ExactSvmSchemeOptions } from "./exactSvmScheme.js";
export { ExactSvmSchemeV1 } from "./exactSvmSchemeV1.js";
export { type ExactSvmPluginConfig, exactSvmFacilitatorPlugin } from "./plugin.js";
export { registerExactSvmScheme, type SvmFacilitatorConfig } from "./register.js";
export {
  type Broadcast,
  SettlementCache,
  type SettlementCacheOptions,
  type SettlementHold,
  type TakenOver,
} from "./settlementCache.js";
export {
  type FacilitatorRpcConfig,
  type FacilitatorSignerOptions,
  type FacilitatorSimulateTransactionOptions,
  type FacilitatorSvmSigner,
  TransactionOnchainFailureError,
  toFacilitatorSvmSigner,
} from "./signer.js";
