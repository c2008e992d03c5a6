import { describeError } from "../errors.js";
import { decodePaymentSignatureHeader, PAYMENT_SIGNATURE_HEADER, X_PAYMENT_HEADER } from "../http/headers.js";
import type { PaymentPayload, PaymentRequirements } from "../protocol/types.js";
import { type AcceptV1Options, fromXPaymentHeader } from "./acceptV1.js";
import type { HttpRequest } from "./requestContext.js";

/** The payment header a request carries: `PAYMENT-SIGNATURE`, or with the v1 opt-in `X-PAYMENT`. */
export interface PaymentHeader {
  value: string | undefined;
  /** True when the value came from `X-PAYMENT` (v1). */
  legacy: boolean;
}

/**
 * Which payment header counts: `X-PAYMENT` only with the v1 opt-in and no `PAYMENT-SIGNATURE`.
 *
 * @example
 * ```ts
 * const { value, legacy } = readPaymentHeader(request, acceptV1);
 * ```
 */
export function readPaymentHeader(
  request: HttpRequest,
  acceptV1: AcceptV1Options | undefined,
): PaymentHeader {
  const v2 = request.getHeader(PAYMENT_SIGNATURE_HEADER);
  const legacy = v2 === undefined && acceptV1 ? request.getHeader(X_PAYMENT_HEADER) : undefined;
  return { value: v2 ?? legacy, legacy: legacy !== undefined };
}

/**
 * The payload of a present header (a v1 one converted against the route's offers), or why it
 * cannot be read.
 *
 * @example
 * ```ts
 * const decoded = decodePaymentHeader(header, accepts, acceptV1);
 * if (!("payload" in decoded)) return reject(decoded.reason, decoded.message, decoded.status);
 * ```
 */
export function decodePaymentHeader(
  header: { value: string; legacy: boolean },
  accepts: readonly PaymentRequirements[],
  acceptV1: AcceptV1Options | undefined,
): { payload: PaymentPayload } | { reason: string; message: string; status?: number } {
  if (header.legacy && acceptV1) return fromXPaymentHeader(header.value, accepts, acceptV1);
  try {
    return { payload: decodePaymentSignatureHeader(header.value) };
  } catch (error) {
    return { reason: "invalid_payload", message: `PAYMENT-SIGNATURE: ${describeError(error)}`, status: 400 };
  }
}
