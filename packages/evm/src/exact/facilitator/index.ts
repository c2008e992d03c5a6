export type { CheckedPayment } from "./checkPayment.js";
export {
  ExactEvmFacilitator,
  type ExactEvmFacilitatorOptions,
  ExactEvmScheme,
  type ExactEvmSchemeConfig,
} from "./exactEvmScheme.js";
export { type ExactEvmPluginConfig, exactEvmFacilitatorPlugin } from "./plugin.js";
export { type EvmFacilitatorConfig, registerExactEvmScheme } from "./register.js";
export { reasonFromRevert } from "./revertReasons.js";
export { createRpcSigner, type RpcSignerOptions, redactRpcUrl } from "./rpcSigner.js";
export { paymentDigest, type SettlementRecord } from "./settlementLedger.js";
export {
  BroadcastUncertainError,
  type EvmCallResult,
  type EvmLog,
  type EvmReceipt,
  type FacilitatorEvmSigner,
} from "./signer.js";
export {
  combineFacilitatorEvmSigners,
  type FacilitatorEvmSignerSource,
  toFacilitatorEvmSigner,
  type ViemFacilitatorClients,
} from "./viemSigner.js";
