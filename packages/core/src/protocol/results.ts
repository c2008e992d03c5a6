import type { SettleResponse, VerifyResponse } from "./types.js";

/**
 * A negative {@link VerifyResponse}, with the message only when there is one.
 * @example
 * ```ts
 * return invalidVerification("invalid_exact_evm_signature", "signer is not from", from);
 * ```
 */
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

/**
 * A failed {@link SettleResponse}: nothing was broadcast, so `transaction` is empty. The
 * payer is named when known (the official server reports it even for failures).
 * @example
 * ```ts
 * return failedSettlement("eip155:8453", "unexpected_settle_error", "rpc timeout", payer);
 * ```
 */
export function failedSettlement(
  network: string,
  errorReason: string,
  errorMessage?: string,
  payer?: string,
): SettleResponse {
  return {
    success: false,
    errorReason,
    ...(errorMessage ? { errorMessage } : {}),
    transaction: "",
    network,
    ...(payer ? { payer } : {}),
  };
}
