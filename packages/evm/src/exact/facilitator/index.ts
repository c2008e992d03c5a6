export type { CheckedPayment } from "./checkPayment.js";
export { ExactEvmFacilitator, type ExactEvmFacilitatorOptions } from "./exactEvmFacilitator.js";
export {
  type RegisterExactEvmFacilitatorOptions,
  registerExactEvmFacilitator,
  type SchemeFacilitatorRegistry,
} from "./register.js";
export { reasonFromRevert } from "./revertReasons.js";
export {
  BroadcastUncertainError,
  type EvmCallResult,
  type EvmLog,
  type EvmReceipt,
  type FacilitatorEvmSigner,
} from "./signer.js";
export { toFacilitatorEvmSigner, type ViemFacilitatorClients } from "./viemSigner.js";
