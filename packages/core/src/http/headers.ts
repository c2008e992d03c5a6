import { X402Error } from "../errors.js";
import {
  PaymentPayloadSchema,
  PaymentPayloadV1Schema,
  PaymentRequiredSchema,
  SettleResponseSchema,
} from "../protocol/schemas.js";
import type { PaymentPayload, PaymentPayloadV1, PaymentRequired, SettleResponse } from "../protocol/types.js";
import { parseWith } from "../protocol/validate.js";
import { decodeBase64, encodeBase64 } from "./base64.js";

/** Header names, as the official SDK writes them (lookups are case-insensitive). */
export const PAYMENT_REQUIRED_HEADER = "PAYMENT-REQUIRED";
export const PAYMENT_SIGNATURE_HEADER = "PAYMENT-SIGNATURE";
export const PAYMENT_RESPONSE_HEADER = "PAYMENT-RESPONSE";
export const X_PAYMENT_HEADER = "X-PAYMENT";
export const X_PAYMENT_RESPONSE_HEADER = "X-PAYMENT-RESPONSE";

/**
 * Encode any JSON value as a header value (base64 of UTF-8 JSON).
 * @example
 * ```ts
 * encodeHeaderJson({ a: 1 }); // "eyJhIjoxfQ=="
 * ```
 */
export function encodeHeaderJson(value: unknown): string {
  return encodeBase64(JSON.stringify(value));
}

/**
 * Decode a base64-JSON header value. Throws `invalid_payload` (status 400) on bad base64
 * or bad JSON; performs no schema validation.
 * @example
 * ```ts
 * decodeHeaderJson("eyJhIjoxfQ=="); // { a: 1 }
 * ```
 */
export function decodeHeaderJson(value: string): unknown {
  const text = decodeBase64(value.trim());
  if (text === undefined)
    throw new X402Error("invalid_payload", "header is not standard base64", { status: 400 });
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new X402Error("invalid_payload", "header is not base64 of JSON", { status: 400, cause });
  }
}

/**
 * Encode a {@link PaymentRequired} for the `PAYMENT-REQUIRED` header.
 *
 * @example
 * ```ts
 * res.setHeader(PAYMENT_REQUIRED_HEADER, encodePaymentRequiredHeader(required));
 * ```
 */
export const encodePaymentRequiredHeader: (value: PaymentRequired) => string = encodeHeaderJson;
/** Encode a {@link PaymentPayload} for the `PAYMENT-SIGNATURE` header. */
export const encodePaymentSignatureHeader: (value: PaymentPayload | PaymentPayloadV1) => string =
  encodeHeaderJson;
/** Encode a {@link SettleResponse} for the `PAYMENT-RESPONSE` header. */
export const encodePaymentResponseHeader: (value: SettleResponse) => string = encodeHeaderJson;

/**
 * Decode and validate a `PAYMENT-REQUIRED` header.
 * @example
 * ```ts
 * const required = decodePaymentRequiredHeader(response.headers.get("PAYMENT-REQUIRED")!);
 * ```
 */
export function decodePaymentRequiredHeader(value: string): PaymentRequired {
  return parseWith(PaymentRequiredSchema, decodeHeaderJson(value), "invalid_payment_requirements");
}

/**
 * Decode and validate a `PAYMENT-SIGNATURE` header (x402 v2).
 * @example
 * ```ts
 * const payload = decodePaymentSignatureHeader(req.headers["payment-signature"]);
 * ```
 */
export function decodePaymentSignatureHeader(value: string): PaymentPayload {
  return parseWith(PaymentPayloadSchema, decodeHeaderJson(value), "invalid_payload");
}

/**
 * Decode and validate a v1 `X-PAYMENT` header.
 * @example
 * ```ts
 * const legacy = decodeXPaymentHeader(req.headers["x-payment"]);
 * ```
 */
export function decodeXPaymentHeader(value: string): PaymentPayloadV1 {
  return parseWith(PaymentPayloadV1Schema, decodeHeaderJson(value), "invalid_payload");
}

/**
 * Decode and validate a `PAYMENT-RESPONSE` (or v1 `X-PAYMENT-RESPONSE`) header.
 *
 * @example
 * ```ts
 * const receipt = decodePaymentResponseHeader(response.headers.get("PAYMENT-RESPONSE")!);
 * console.log(receipt.transaction);
 * ```
 */
export function decodePaymentResponseHeader(value: string): SettleResponse {
  return parseWith(SettleResponseSchema, decodeHeaderJson(value), "invalid_payload");
}
