export { type AllowedAssets, assetAllowList } from "./assetAllowList.js";
export { authorizationSpent } from "./authorizationSpent.js";
export { CallBatcher, callBatcherFor } from "./callBatcher.js";
export type { CheckedPayment } from "./checkPayment.js";
export { authorizationDigest, isSignedByPayerKey } from "./checkSignature.js";
export {
  ExactEvmFacilitator,
  type ExactEvmFacilitatorOptions,
  ExactEvmScheme,
  type ExactEvmSchemeConfig,
} from "./exactEvmScheme.js";
export { GasFees, type GasPriceBounds, type TransactionFees } from "./gasBounds.js";
export { type KeepAliveHttpOptions, keepAliveHttp } from "./keepAliveTransport.js";
export { NonceManager, SIGNER_BUSY, SignerBusyError } from "./nonceManager.js";
export {
  type EvmPluginRegistration,
  type ExactEvmPluginConfig,
  exactEvmFacilitatorPlugin,
} from "./plugin.js";
export { rawEthCall } from "./rawEthCall.js";
export {
  type ReconcileReport,
  SettlementReconciler,
  type SettlementReconcilerOptions,
} from "./reconciler.js";
export { type EvmFacilitatorConfig, registerExactEvmScheme } from "./register.js";
export { decodeRevertText, describeRevertData, reasonFromRevert } from "./revertReasons.js";
export { createRpcSigner, type RpcSignerOptions, redactRpcUrl } from "./rpcSigner.js";
export { SendJournal } from "./sendJournal.js";
export {
  finishRecorded,
  followRecorded,
  type RecordedSettlementOptions,
  settleRecorded,
} from "./settlementFlow.js";
export { paymentDigest, SettlementLedger, type SettlementRecord } from "./settlementLedger.js";
export {
  awaitSettlementCall,
  type ExpectedTransfer,
  judgeSettlementReceipt,
  type RecordedTransaction,
  type SendSettlementOptions,
  type SettlementCall,
  sendSettlement,
} from "./settleTransfer.js";
export {
  BroadcastUncertainError,
  type EvmCallResult,
  type EvmLog,
  type EvmReceipt,
  type EvmTransactionRequest,
  type FacilitatorEvmSigner,
  GAS_PRICE_ABOVE_CAP,
  GasPriceAboveCapError,
  type SendTransactionHooks,
  type SignedEvmTransaction,
} from "./signer.js";
export {
  canRebroadcast,
  GONE_CONFIRM_MS,
  goneTwice,
  type TransactionFate,
  transactionFate,
} from "./transactionFate.js";
export {
  combineFacilitatorEvmSigners,
  type FacilitatorEvmSignerOptions,
  type FacilitatorEvmSignerSource,
  toFacilitatorEvmSigner,
  type ViemFacilitatorClients,
} from "./viemSigner.js";
