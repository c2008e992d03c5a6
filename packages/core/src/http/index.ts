export { decodeBase64, encodeBase64 } from "./base64.js";
export { HTTPFacilitatorClient, type HTTPFacilitatorClientOptions } from "./facilitatorClient.js";
export * from "./headers.js";
