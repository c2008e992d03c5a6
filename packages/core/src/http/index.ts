export { decodeBase64, encodeBase64 } from "./base64.js";
export { HTTPFacilitatorClient, type HTTPFacilitatorClientOptions } from "./facilitatorClient.js";
export * from "./headers.js";
// The official `@x402/core/http` also offers the HTTP client glue (its README imports it from here).
export { x402HTTPClient } from "../client/x402HTTPClient.js";
