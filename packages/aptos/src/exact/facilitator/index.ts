export {
  type CheckContext,
  type CheckedAptosPayment,
  type CheckResult,
  checkAptosPayment,
} from "./checkPayment.js";
export { isSmallOrderEd25519Point } from "./ed25519Strict.js";
export { ExactAptosScheme, type ExactAptosSchemeConfig } from "./exactAptosScheme.js";
export { type ExactAptosPluginConfig, exactAptosFacilitatorPlugin } from "./plugin.js";
export { type AptosFacilitatorConfig, registerExactAptosScheme } from "./register.js";
export {
  AptosSettlementLedger,
  type AptosSettlementRecord,
  aptosPaymentDigest,
  settlementKey,
} from "./settlementLedger.js";
export {
  AptosSimulationError,
  AptosTransactionFailedError,
  AptosTransactionPendingError,
  type FacilitatorAptosRpcConfig,
  type FacilitatorAptosSigner,
  toFacilitatorAptosSigner,
} from "./signer.js";
export {
  MAX_SENDER_KEYS,
  readSenderKey,
  type SenderKeyCheck,
  type SenderSignatureCheck,
  verifySenderSignature,
} from "./verifySenderSignature.js";
