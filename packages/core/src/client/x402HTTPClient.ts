import { describeError, X402Error } from "../errors.js";
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
import { PaymentRequiredSchema, PaymentRequiredV1Schema } from "../protocol/schemas.js";
import type { PaymentPayload, PaymentRequired, SettleResponse } from "../protocol/types.js";
import { parseWith } from "../protocol/validate.js";
import type { AnyPaymentPayload, HookAnswer, PaymentResponseContext } from "../schemes/client.js";
import { firstAnswer } from "./clientHooks.js";
import type { AnyPaymentRequired } from "./selection.js";
import type { x402Client } from "./x402Client.js";

/** Reads one response header by (case-insensitive) name. */
export type HeaderReader = (name: string) => string | null | undefined;

/** Context of the `onPaymentRequired` hooks. */
export interface PaymentRequiredContext {
  paymentRequired: AnyPaymentRequired;
  requestUrl: string;
}

/** Runs when a 402 arrives, before paying; `{ headers }` re-sends the request with them first (e.g. a sign-in). */
export type PaymentRequiredHook = (
  context: PaymentRequiredContext,
) => Promise<HookAnswer<{ headers: Record<string, string> }>>;

/** The payment outcome of an answer, as {@link x402HTTPClient.parsePaymentResult} reads it. */
export type HTTPPaymentStatus = "settled" | "settle_failed" | "payment_required" | "none";

/** An answer with its payment header decoded (receipt, else the 402's requirements). */
export interface HTTPResourceResponse {
  status: number;
  paymentStatus: HTTPPaymentStatus;
  body: unknown;
  header?: SettleResponse | PaymentRequired;
}

/** Options of {@link x402HTTPClient}. */
export interface X402HTTPClientOptions {
  /**
   * How many times a paid request answered by a *corrective* 402 (one the paying scheme or a
   * hook says it can satisfy) is paid again. Default 1; 0 never re-pays.
   */
  maxPaymentRetries?: number;
}

/**
 * The transport-independent half of an HTTP paying client: reads 402s and receipts, writes
 * payment headers. `payForResponse` runs the whole 402 → pay → retry loop over it;
 * `@x402kit/fetch` and `@x402kit/axios` only translate requests and responses.
 *
 * @example
 * ```ts
 * const http = new x402HTTPClient(client);
 * const required = http.getPaymentRequiredResponse((n) => res.headers.get(n), await res.json());
 * const headers = http.encodePaymentSignatureHeader(await http.createPaymentPayload(required));
 * ```
 */
export class x402HTTPClient {
  private readonly paymentRequiredHooks: PaymentRequiredHook[] = [];
  readonly maxPaymentRetries: number;

  constructor(
    readonly client: x402Client,
    options: X402HTTPClientOptions = {},
  ) {
    this.maxPaymentRetries = Math.max(0, Math.floor(options.maxPaymentRetries ?? 1));
  }

  /**
   * Add a hook that may answer a 402 with headers to try before paying; the first to answer
   * wins. Extensions' `transportHooks.http.onPaymentRequired` run after these, for 402s that
   * declare them.
   */
  onPaymentRequired(hook: PaymentRequiredHook): this {
    this.paymentRequiredHooks.push(hook);
    return this;
  }

  /** Run the `onPaymentRequired` hooks: headers to retry with, or `null` to go on and pay. */
  async handlePaymentRequired(
    paymentRequired: AnyPaymentRequired,
    requestUrl: string,
  ): Promise<Record<string, string> | null> {
    const hooks: PaymentRequiredHook[] = [...this.paymentRequiredHooks];
    const declared = paymentRequired.x402Version === 2 ? paymentRequired.extensions : undefined;
    for (const extension of this.client.getExtensions()) {
      const hook = extension.transportHooks?.http?.onPaymentRequired;
      if (hook && declared && Object.hasOwn(declared, extension.key))
        hooks.push((ctx) =>
          hook(declared[extension.key], ctx as { paymentRequired: PaymentRequired; requestUrl: string }),
        );
    }
    const answer = await firstAnswer(hooks, { paymentRequired, requestUrl });
    return answer?.headers ?? null;
  }

  /**
   * The 402's requirements: the `PAYMENT-REQUIRED` header (v2), else a v1 JSON body
   * (`{ x402Version: 1, accepts }`). Throws `invalid_payment_requirements` otherwise.
   */
  getPaymentRequiredResponse(getHeader: HeaderReader, body?: unknown): AnyPaymentRequired {
    const header = getHeader(PAYMENT_REQUIRED_HEADER);
    if (header)
      return parseWith(PaymentRequiredSchema, decodeHeaderJson(header), "invalid_payment_requirements", 502);
    if (typeof body === "object" && body !== null && (body as { x402Version?: unknown }).x402Version === 1)
      return parseWith(PaymentRequiredV1Schema, body, "invalid_payment_requirements", 502);
    throw new X402Error(
      "invalid_payment_requirements",
      "402 response carries neither a PAYMENT-REQUIRED header nor a v1 body",
      { status: 502 },
    );
  }

  /** Select, check spend controls and sign (delegates to the client engine). */
  createPaymentPayload(paymentRequired: AnyPaymentRequired): Promise<AnyPaymentPayload> {
    return this.client.createPaymentPayload(paymentRequired);
  }

  /** The header that carries `payload`: `PAYMENT-SIGNATURE` for v2, `X-PAYMENT` for v1. */
  encodePaymentSignatureHeader(payload: AnyPaymentPayload): Record<string, string> {
    const name = payload.x402Version === 1 ? X_PAYMENT_HEADER : PAYMENT_SIGNATURE_HEADER;
    return { [name]: encodePaymentSignatureHeader(payload) };
  }

  /** Sign a payment and return the request headers that carry it (both steps above in one). */
  async createPaymentHeaders(paymentRequired: AnyPaymentRequired): Promise<Record<string, string>> {
    return this.encodePaymentSignatureHeader(await this.createPaymentPayload(paymentRequired));
  }

  /** The settlement receipt (`PAYMENT-RESPONSE`, else `X-PAYMENT-RESPONSE`); throws when there is none. */
  getPaymentSettleResponse(getHeader: HeaderReader): SettleResponse {
    const receipt = readSettleResponse(getHeader);
    if (!receipt) throw new X402Error("invalid_payload", "the response carries no PAYMENT-RESPONSE header");
    return receipt;
  }

  /**
   * Decode a paid request's answer and tell the client engine (scheme first, then hooks).
   * `recovered` is true only for a 402 that someone said they can satisfy with a fresh payment.
   */
  async processPaymentResult(
    paymentPayload: AnyPaymentPayload,
    getHeader: HeaderReader,
    status: number,
  ): Promise<{ recovered: boolean; settleResponse?: SettleResponse; paymentRequired?: PaymentRequired }> {
    const context = describePaidAnswer(paymentPayload, getHeader, status);
    const answer = await this.client.handlePaymentResponse(context);
    const { settleResponse, paymentRequired } = context;
    return {
      recovered: status === 402 && answer?.recovered === true,
      ...(settleResponse ? { settleResponse } : {}),
      ...(paymentRequired ? { paymentRequired } : {}),
    };
  }

  /**
   * Read an answer's payment outcome: `settled` / `settle_failed` from its receipt, else
   * `payment_required` with the 402's requirements (whose `error` is the reason), else `none`.
   */
  parsePaymentResult(args: { status: number; getHeader: HeaderReader; body: unknown }): HTTPResourceResponse {
    const { status, getHeader, body } = args;
    const receipt = readSettleResponse(getHeader);
    if (receipt)
      return { status, body, header: receipt, paymentStatus: receipt.success ? "settled" : "settle_failed" };
    const required = status === 402 ? getHeader(PAYMENT_REQUIRED_HEADER) : undefined;
    if (required)
      return {
        status,
        body,
        header: parseWith(PaymentRequiredSchema, decodeHeaderJson(required), "invalid_payment_requirements"),
        paymentStatus: "payment_required",
      };
    return { status, body, paymentStatus: "none" };
  }

  /** {@link parsePaymentResult} for a fetch `Response` (its body read as JSON, else text). */
  async processResponse(response: Response): Promise<HTTPResourceResponse> {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return this.parsePaymentResult({
      status: response.status,
      getHeader: (n) => response.headers.get(n),
      body,
    });
  }

  /** True when request headers already carry a payment (the loop guard). */
  static hasPaymentHeader(getHeader: HeaderReader): boolean {
    return Boolean(getHeader(PAYMENT_SIGNATURE_HEADER) ?? getHeader(X_PAYMENT_HEADER));
  }
}

/**
 * The settlement receipt of a response (`PAYMENT-RESPONSE`, else v1 `X-PAYMENT-RESPONSE`), or
 * `undefined` when it has none.
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

function describePaidAnswer(
  paymentPayload: AnyPaymentPayload,
  getHeader: HeaderReader,
  status: number,
): PaymentResponseContext {
  // v1 payloads carry no `accepted`; their hooks see the payload's scheme and network.
  const requirements =
    paymentPayload.x402Version === 2
      ? paymentPayload.accepted
      : ({ scheme: paymentPayload.scheme, network: paymentPayload.network } as PaymentPayload["accepted"]);
  const context: PaymentResponseContext = {
    paymentPayload: paymentPayload as PaymentPayload,
    requirements,
    status,
  };
  try {
    const settleResponse = readSettleResponse(getHeader);
    if (settleResponse) context.settleResponse = settleResponse;
    const required = status === 402 ? getHeader(PAYMENT_REQUIRED_HEADER) : undefined;
    if (required)
      context.paymentRequired = parseWith(
        PaymentRequiredSchema,
        decodeHeaderJson(required),
        "invalid_payment_requirements",
      );
  } catch (error) {
    context.error = error instanceof Error ? error : new Error(describeError(error));
  }
  return context;
}
