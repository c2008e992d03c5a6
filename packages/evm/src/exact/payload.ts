import type { ExactPermit2Payload } from "../permit2/payload.js";

/**
 * The `authorization` of an EIP-3009 payload; numbers are decimal strings on the wire.
 *
 * @example
 * ```ts
 * const { from, nonce }: Eip3009Authorization = payload.authorization;
 * ```
 */
export interface Eip3009Authorization {
  from: `0x${string}`;
  to: `0x${string}`;
  value: string;
  validAfter: string;
  validBefore: string;
  nonce: `0x${string}`;
}

/**
 * `PaymentPayload.payload` of the EVM exact scheme (EIP-3009 transfer method).
 *
 * @example
 * ```ts
 * if (isExactEvmPayload(paymentPayload.payload)) paymentPayload.payload satisfies ExactEvmPayload;
 * ```
 */
export interface ExactEvmPayload {
  signature: `0x${string}`;
  authorization: Eip3009Authorization;
}

/**
 * The official name of the EIP-3009 payload type.
 *
 * @example
 * ```ts
 * const payload: ExactEIP3009Payload = { signature, authorization };
 * ```
 */
export type ExactEIP3009Payload = ExactEvmPayload;

/**
 * Any v2 `exact` EVM payload: EIP-3009 or Permit2 (official name).
 *
 * @example
 * ```ts
 * const payload = paymentPayload.payload as ExactEvmPayloadV2;
 * ```
 */
export type ExactEvmPayloadV2 = ExactEvmPayload | ExactPermit2Payload;

/**
 * How an `exact` EVM payment moves the token: `extra.assetTransferMethod` (default `eip3009`).
 *
 * @example
 * ```ts
 * const method: AssetTransferMethod = (requirements.extra?.assetTransferMethod as AssetTransferMethod) ?? "eip3009";
 * ```
 */
export type AssetTransferMethod = "eip3009" | "permit2";

/** A 20-byte hex address (any case). */
export const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})+$/;
const UINT256 = /^\d{1,78}$/;
const MAX_UINT256 = 2n ** 256n - 1n;

const isUint256 = (value: unknown): value is string =>
  typeof value === "string" && UINT256.test(value) && BigInt(value) <= MAX_UINT256;

/**
 * Check that untrusted input is a well-formed EIP-3009 payload: addresses are 20-byte hex,
 * numbers are decimal strings within uint256, the nonce is 32 bytes and the signature is
 * non-empty hex. Returns the first problem as text, or `undefined` when it is well formed.
 *
 * @example
 * ```ts
 * const problem = describeExactEvmPayloadProblem(paymentPayload.payload);
 * if (problem) return { isValid: false, invalidReason: "invalid_payload", invalidMessage: problem };
 * ```
 */
export function describeExactEvmPayloadProblem(payload: unknown): string | undefined {
  if (!isRecord(payload)) return "payload must be an object";
  if (typeof payload.signature !== "string" || !HEX_BYTES.test(payload.signature))
    return "payload.signature must be 0x-prefixed hex bytes";
  const auth = payload.authorization;
  if (!isRecord(auth)) return "payload.authorization must be an object";
  for (const key of ["from", "to"] as const)
    if (typeof auth[key] !== "string" || !ADDRESS.test(auth[key] as string))
      return `payload.authorization.${key} must be a 20-byte hex address`;
  for (const key of ["value", "validAfter", "validBefore"] as const)
    if (!isUint256(auth[key])) return `payload.authorization.${key} must be a decimal uint256 string`;
  if (typeof auth.nonce !== "string" || !BYTES32.test(auth.nonce))
    return "payload.authorization.nonce must be 32 bytes of hex";
  return undefined;
}

/**
 * True when `payload` is a well-formed {@link ExactEvmPayload}.
 *
 * @example
 * ```ts
 * if (isExactEvmPayload(paymentPayload.payload)) console.log(paymentPayload.payload.authorization.from);
 * ```
 */
export function isExactEvmPayload(payload: unknown): payload is ExactEvmPayload {
  return describeExactEvmPayloadProblem(payload) === undefined;
}

/** True for plain (non-array) objects. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Names one EIP-3009 authorization: the token refuses a second use of `from` + `nonce`, so
 * two payloads with the same key spend the same money. Used by the server's duplicate guard
 * and the facilitator's settlement guard alike.
 *
 * @example
 * ```ts
 * authorizationKey("eip155:8453", usdc, from, nonce); // "eip155:8453:0x8335…:0xf39f…:0x11…"
 * ```
 */
export function authorizationKey(network: string, asset: string, from: string, nonce: string): string {
  return `${network}:${asset}:${from}:${nonce}`.toLowerCase();
}
