import { isRecord } from "../exact/payload.js";
import { PERMIT2_ADDRESS } from "./constants.js";

/**
 * The exact proxy's witness: who receives the money, and from when.
 *
 * @example
 * ```ts
 * const witness: Permit2Witness = { to: payTo, validAfter: "0" };
 * ```
 */
export interface Permit2Witness {
  to: `0x${string}`;
  validAfter: string;
}

/**
 * The signed Permit2 transfer of a payment, numbers as decimal strings; `W` is the proxy's
 * witness ({@link Permit2Witness} for exact; upto adds `facilitator`).
 *
 * @example
 * ```ts
 * const { permitted, spender, nonce, deadline } = payload.permit2Authorization;
 * ```
 */
export interface Permit2Authorization<W = Permit2Witness> {
  from: `0x${string}`;
  permitted: { token: `0x${string}`; amount: string };
  spender: `0x${string}`;
  nonce: string;
  deadline: string;
  witness: W;
}

/**
 * `PaymentPayload.payload` of `exact` via Permit2 (`extra.assetTransferMethod: "permit2"`).
 *
 * @example
 * ```ts
 * if (isPermit2Payload(paymentPayload.payload)) console.log(paymentPayload.payload.permit2Authorization.from);
 * ```
 */
export interface ExactPermit2Payload<W = Permit2Witness> {
  signature: `0x${string}`;
  permit2Authorization: Permit2Authorization<W>;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})+$/;
// Decimal (what clients emit) or 0x-hex (what some spec examples show); both within uint256.
const UINT = /^(?:\d{1,78}|0x[0-9a-fA-F]{1,64})$/;
const MAX_UINT256 = 2n ** 256n - 1n;

const isAddress = (value: unknown): value is string => typeof value === "string" && ADDRESS.test(value);
const isUint256 = (value: unknown): value is string =>
  typeof value === "string" && UINT.test(value) && BigInt(value) <= MAX_UINT256;

/**
 * Which witness fields a proxy's payload carries, for {@link describePermit2PayloadProblem}.
 *
 * @example
 * ```ts
 * const upto: Permit2WitnessShape = { addresses: ["to", "facilitator"], uints: ["validAfter"] };
 * ```
 */
export interface Permit2WitnessShape {
  addresses: readonly string[];
  uints: readonly string[];
}

/** The exact proxy's witness `{ to, validAfter }`. */
export const EXACT_PERMIT2_WITNESS: Permit2WitnessShape = { addresses: ["to"], uints: ["validAfter"] };

/**
 * Check that untrusted input is a well-formed Permit2 payload: addresses are 20-byte hex,
 * numbers are uint256 strings (decimal, or 0x-hex), the signature is non-empty hex, and the
 * witness has the fields of `witness` (default: the exact proxy's). Returns the first problem
 * as text, or `undefined` when it is well formed.
 *
 * @example
 * ```ts
 * const problem = describePermit2PayloadProblem(paymentPayload.payload);
 * if (problem) return { isValid: false, invalidReason: "invalid_payload", invalidMessage: problem };
 * ```
 */
export function describePermit2PayloadProblem(
  payload: unknown,
  witness: Permit2WitnessShape = EXACT_PERMIT2_WITNESS,
): string | undefined {
  if (!isRecord(payload)) return "payload must be an object";
  if (typeof payload.signature !== "string" || !HEX_BYTES.test(payload.signature))
    return "payload.signature must be 0x-prefixed hex bytes";
  const auth = payload.permit2Authorization;
  if (!isRecord(auth)) return "payload.permit2Authorization must be an object";
  const at = "payload.permit2Authorization";
  for (const key of ["from", "spender"] as const)
    if (!isAddress(auth[key])) return `${at}.${key} must be a 20-byte hex address`;
  if (!isRecord(auth.permitted)) return `${at}.permitted must be an object`;
  if (!isAddress(auth.permitted.token)) return `${at}.permitted.token must be a 20-byte hex address`;
  if (!isUint256(auth.permitted.amount)) return `${at}.permitted.amount must be a uint256 string`;
  for (const key of ["nonce", "deadline"] as const)
    if (!isUint256(auth[key])) return `${at}.${key} must be a uint256 string`;
  if (!isRecord(auth.witness)) return `${at}.witness must be an object`;
  for (const key of witness.addresses)
    if (!isAddress(auth.witness[key])) return `${at}.witness.${key} must be a 20-byte hex address`;
  for (const key of witness.uints)
    if (!isUint256(auth.witness[key])) return `${at}.witness.${key} must be a uint256 string`;
  return undefined;
}

/**
 * True when `payload` is a well-formed exact {@link ExactPermit2Payload} (official name; it
 * checks the whole shape, not only the presence of `permit2Authorization`).
 *
 * @example
 * ```ts
 * if (isPermit2Payload(paymentPayload.payload)) settleThroughProxy(paymentPayload.payload);
 * ```
 */
export function isPermit2Payload(payload: unknown): payload is ExactPermit2Payload {
  return describePermit2PayloadProblem(payload) === undefined;
}

/**
 * True when `payload` carries an EIP-3009 `authorization` (official name; the shape is
 * checked by `isExactEvmPayload`).
 *
 * @example
 * ```ts
 * const method = isEIP3009Payload(payload) ? "eip3009" : "permit2";
 * ```
 */
export function isEIP3009Payload(payload: unknown): payload is { authorization: Record<string, unknown> } {
  return isRecord(payload) && isRecord(payload.authorization);
}

/**
 * Names one Permit2 transfer: Permit2 refuses a second use of `owner` + `nonce` on a chain
 * (whichever token or proxy), so two payloads with the same key spend the same nonce.
 *
 * @example
 * ```ts
 * permit2NonceKey("eip155:8453", from, nonce); // "eip155:8453:permit2:0x0000…8ba3:0xf39f…:1234…"
 * ```
 */
export function permit2NonceKey(network: string, owner: string, nonce: string): string {
  return `${network}:permit2:${PERMIT2_ADDRESS}:${owner}:${BigInt(nonce).toString(10)}`.toLowerCase();
}
