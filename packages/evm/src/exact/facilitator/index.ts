export type { CheckedPayment } from "./check-payment.js";
export { ExactEvmFacilitator, type ExactEvmFacilitatorOptions } from "./exact-evm-facilitator.js";
export {
  type RegisterExactEvmFacilitatorOptions,
  registerExactEvmFacilitator,
  type SchemeFacilitatorRegistry,
} from "./register.js";
export { reasonFromRevert } from "./revert-reasons.js";
export {
  BroadcastUncertainError,
  type EvmCallResult,
  type EvmLog,
  type EvmReceipt,
  type FacilitatorEvmSigner,
} from "./signer.js";
export { toFacilitatorEvmSigner, type ViemFacilitatorClients } from "./viem-signer.js";
