export { type AllowedAsset, type SpendingLimits, SpendingTracker } from "./limits.js";
export {
  type PaymentCreationHookContext,
  type PaymentPolicy,
  type PaymentPreferences,
  type X402ClientOptions,
  x402Client,
} from "./x402Client.js";
export { type HeaderReader, readSettleResponse, x402HTTPClient } from "./x402HTTPClient.js";
