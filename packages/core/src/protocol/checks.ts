import { failedSettlement, invalidVerification } from "./results.js";
import type { SettleResponse, VerifyResponse } from "./types.js";

/**
 * A failed check: the wire reason and a human explanation.
 *
 * @example
 * ```ts
 * const failure: CheckFailure = { ok: false, reason: "invalid_payload", message: "payload.signature is missing" };
 * ```
 */
export interface CheckFailure {
  ok: false;
  reason: string;
  message: string;
}

/**
 * The outcome of one verification step of a scheme: a value, or why it failed.
 *
 * @example
 * ```ts
 * function checkAmount(value: bigint, amount: bigint): CheckResult {
 *   return value === amount ? { ok: true, value: undefined } : fail("invalid_payload", "wrong amount");
 * }
 * ```
 */
export type CheckResult<T = undefined> = { ok: true; value: T } | CheckFailure;

/**
 * Build a {@link CheckFailure}.
 *
 * @example
 * ```ts
 * return fail("invalid_exact_evm_recipient_mismatch", `to ${to} is not payTo ${payTo}`);
 * ```
 */
export const fail = (reason: string, message: string): CheckFailure => ({ ok: false, reason, message });

/**
 * Build a successful {@link CheckResult}.
 *
 * @example
 * ```ts
 * return passed(checkedPayment);
 * ```
 */
export const passed = <T = undefined>(value: T): CheckResult<T> => ({ ok: true, value });

/**
 * A {@link CheckFailure} as a negative `/verify` answer, naming the payer when known.
 *
 * @example
 * ```ts
 * if (!checked.ok) return failureToVerifyResponse(checked, payload.authorization.from);
 * ```
 */
export function failureToVerifyResponse(failure: CheckFailure, payer?: string): VerifyResponse {
  return invalidVerification(failure.reason, failure.message, payer);
}

/**
 * A {@link CheckFailure} as a failed `/settle` answer (nothing broadcast), naming the payer when known.
 *
 * @example
 * ```ts
 * if (!checked.ok) return failureToSettleResponse(checked, requirements.network, payer);
 * ```
 */
export function failureToSettleResponse(
  failure: CheckFailure,
  network: string,
  payer?: string,
): SettleResponse {
  return failedSettlement(network, failure.reason, failure.message, payer);
}
