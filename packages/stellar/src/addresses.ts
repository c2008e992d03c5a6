import { STELLAR_ASSET_ADDRESS_REGEX, STELLAR_DESTINATION_ADDRESS_REGEX } from "./constants.js";

/**
 * True for a payee address: G account, C contract or M muxed account.
 *
 * @example
 * ```ts
 * validateStellarDestinationAddress("GDQ…"); // true when well formed
 * ```
 */
export function validateStellarDestinationAddress(address: string): boolean {
  return typeof address === "string" && STELLAR_DESTINATION_ADDRESS_REGEX.test(address);
}

/**
 * True for an asset address: a contract id (`C…`).
 *
 * @example
 * ```ts
 * validateStellarAssetAddress("CCW67TSZV3SSS2HXMBQ5JFGCKJNXKZM7UQUWUZPUTHXSTZLEO7SJMI75"); // true
 * ```
 */
export function validateStellarAssetAddress(address: string): boolean {
  return typeof address === "string" && STELLAR_ASSET_ADDRESS_REGEX.test(address);
}
