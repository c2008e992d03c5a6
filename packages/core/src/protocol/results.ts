import type { SettleResponse, VerifyResponse } from "./types.js";

/** A negative {@link VerifyResponse}, with the message only when there is one. */
export function invalidVerification(
  invalidReason: string,
  invalidMessage?: string,
  payer?: string,
): VerifyResponse {
  return {
    isValid: false,
    invalidReason,
    ...(invalidMessage ? { invalidMessage } : {}),
    ...(payer ? { payer } : {}),
  };
}

/** A failed {@link SettleResponse}: nothing was broadcast, so `transaction` is empty. */
export function failedSettlement(
  network: string,
  errorReason: string,
  errorMessage?: string,
): SettleResponse {
  return { success: false, errorReason, ...(errorMessage ? { errorMessage } : {}), transaction: "", network };
}
