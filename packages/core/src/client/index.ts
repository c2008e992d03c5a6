export type {
  AfterPaymentCreationHook,
  AnyPaymentPayload,
  BeforePaymentCreationHook,
  DefaultAsset,
  FindDefaultAsset,
  OnPaymentCreationFailureHook,
  OnPaymentResponseHook,
  PaymentCreatedContext,
  PaymentCreationContext,
  PaymentCreationFailureContext,
  PaymentPayloadContext,
  PaymentPayloadResult,
  PaymentResponseContext,
  PaymentResponseResult,
  SchemeClient,
  SchemeClientHooks,
  SchemeNetworkClient,
} from "../schemes/client.js";
export type {
  ClientExtension,
  ClientExtensionHooks,
  ClientTransportExtensionHooks,
  HTTPClientExtensionHooks,
} from "./clientHooks.js";
export {
  type PayForResponseOptions,
  payForResponse,
  type SendRequest,
  type TransportResponse,
} from "./payForResponse.js";
export type { AnyPaymentRequired, PaymentPreferences } from "./selection.js";
export {
  DEFAULT_MAX_AMOUNT_PER_PAYMENT,
  type SpendControlAsset,
  type SpendControls,
  SpendingTracker,
} from "./spendControls.js";
export { memorySpendingTotals, type SpendingTotals, storeSpendingTotals } from "./spendingTotals.js";
export {
  type PaymentPolicy,
  type SchemeRegistration,
  type SelectPaymentRequirements,
  type X402ClientOptions,
  x402Client,
  type x402ClientConfig,
} from "./x402Client.js";
export {
  type HeaderReader,
  type HTTPPaymentStatus,
  type HTTPResourceResponse,
  type PaymentRequiredContext,
  type PaymentRequiredHook,
  readSettleResponse,
  type X402HTTPClientOptions,
  x402HTTPClient,
} from "./x402HTTPClient.js";
