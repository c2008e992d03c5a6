import { X402Error } from "../errors.js";
import {
  decodeHeaderJson,
  decodePaymentResponseHeader,
  encodePaymentSignatureHeader,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
  X_PAYMENT_HEADER,
  X_PAYMENT_RESPONSE_HEADER,
} from "../http/headers.js";
import { PaymentRequiredSchema } from "../protocol/schemas.js";
import type { PaymentPayload, PaymentRequired, SettleResponse } from "../protocol/types.js";
import { parseWith } from "../protocol/validate.js";
import type { x402Client } from "./x402Client.js";

/** Reads one response header by (case-insensitive) name. */
export type HeaderReader = (name: string) => string | null | undefined;

/**
 * The transport-independent half of an HTTP paying client; `@x402kit/fetch` and
 * `@x402kit/axios` only translate requests and responses.
 *
 * @example
 * ```ts
 * const http = new x402HTTPClient(client);
 * const required = http.getPaymentRequired((n) => res.headers.get(n), await res.json());
 * const headers = await http.createPaymentHeaders(required);
 * ```
 */
export class x402HTTPClient {
  constructor(readonly client: x402Client) {}

  /**
   * The {@link PaymentRequired} of a 402: the `PAYMENT-REQUIRED` header (v2). A v1 body is
   * recognised and refused with `invalid_x402_version`, since this client pays v2 only.
   */
  getPaymentRequired(getHeader: HeaderReader, body?: unknown): PaymentRequired {
    const header = getHeader(PAYMENT_REQUIRED_HEADER);
    if (header)
      return parseWith(PaymentRequiredSchema, decodeHeaderJson(header), "invalid_payment_requirements", 502);
    if (isObject(body) && body.x402Version === 1)
      throw new X402Error(
        "invalid_x402_version",
        "the server speaks x402 v1, which this client does not pay",
      );
    throw new X402Error("invalid_payment_requirements", "402 response carries no PAYMENT-REQUIRED header", {
      status: 502,
    });
  }

  /** Sign a payment and return the request headers that carry it. */
  async createPaymentHeaders(paymentRequired: PaymentRequired): Promise<Record<string, string>> {
    const payload = await this.client.createPaymentPayload(paymentRequired);
    return this.encodePaymentHeaders(payload);
  }

  /** The header that carries `payload`. */
  encodePaymentHeaders(payload: PaymentPayload): Record<string, string> {
    return { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignatureHeader(payload) };
  }

  /** The settlement receipt of a paid response, if it has one. */
  getSettleResponse(getHeader: HeaderReader): SettleResponse | undefined {
    return readSettleResponse(getHeader);
  }

  /** True when request headers already carry a payment (the loop guard). */
  static hasPaymentHeader(getHeader: HeaderReader): boolean {
    return Boolean(getHeader(PAYMENT_SIGNATURE_HEADER) ?? getHeader(X_PAYMENT_HEADER));
  }
}

/**
 * The settlement receipt of a response (`PAYMENT-RESPONSE`, else v1 `X-PAYMENT-RESPONSE`).
 *
 * @example
 * ```ts
 * const receipt = readSettleResponse((name) => response.headers.get(name));
 * ```
 */
export function readSettleResponse(getHeader: HeaderReader): SettleResponse | undefined {
  const header = getHeader(PAYMENT_RESPONSE_HEADER) ?? getHeader(X_PAYMENT_RESPONSE_HEADER);
  return header ? decodePaymentResponseHeader(header) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
