/**
 * Small helpers shared by chain packages and applications: money conversion, base64, network
 * patterns. Mirrors the official `@x402/core/utils` names.
 *
 * @packageDocumentation
 */

import { X402Error } from "../errors.js";
import { decodeBase64, encodeBase64 } from "../http/base64.js";
import { networkMatches } from "../protocol/registry.js";

export { canonicalJson, deepEqual, toComparableArray } from "./json.js";
export { convertToTokenAmount, numberToDecimalString, parseMoney, parseMoneyString } from "./money.js";
export {
  findByNetworkAndScheme,
  findFacilitatorBySchemeAndNetwork,
  findSchemesByNetwork,
  type SchemeData,
} from "./networkMaps.js";
export { redactUrl } from "./redactUrl.js";

/** Standard base64 with padding, as the x402 headers use it. */
export const Base64EncodedRegex = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Standard base64 of a UTF-8 string.
 * @example
 * ```ts
 * safeBase64Encode("{}"); // "e30="
 * ```
 */
export const safeBase64Encode = encodeBase64;

/**
 * The UTF-8 text of standard base64; throws `invalid_payload` for anything else.
 * @example
 * ```ts
 * safeBase64Decode("e30="); // "{}"
 * ```
 */
export function safeBase64Decode(data: string): string {
  const text = decodeBase64(data);
  if (text === undefined) throw new X402Error("invalid_payload", "not standard base64");
  return text;
}

/**
 * True when `network` matches `pattern` (`eip155:*`, `*` or an exact id).
 * @example
 * ```ts
 * networkMatchesPattern("eip155:*", "eip155:8453"); // true
 * ```
 */
export const networkMatchesPattern = (pattern: string, network: string): boolean =>
  networkMatches(pattern, network);
