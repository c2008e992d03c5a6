// The official `@x402/core/http` also offers the HTTP client glue (its README imports it from here).
export { x402HTTPClient } from "../client/x402HTTPClient.js";
// …and the server-side HTTP names, as the official `@x402/core/http` does.
export {
  attachBackgroundInitHandler,
  FacilitatorCapabilityError,
  FacilitatorResponseError,
  FacilitatorTimeoutError,
  getFacilitatorResponseError,
  isFatalStartupInitError,
  PAYMENT_REQUIRED_CACHE_CONTROL,
  RouteConfigurationError,
  SETTLEMENT_OVERRIDES_HEADER,
  withPrivateCacheControl,
  x402HTTPResourceServer,
} from "../server/index.js";
export { decodeBase64, encodeBase64 } from "./base64.js";
export { HTTPFacilitatorClient, type HTTPFacilitatorClientOptions } from "./facilitatorClient.js";
export * from "./headers.js";
