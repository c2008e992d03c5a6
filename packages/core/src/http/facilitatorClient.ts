import type * as v from "valibot";
import { describeError, X402Error } from "../errors.js";
import { SettleResponseSchema, SupportedResponseSchema, VerifyResponseSchema } from "../protocol/schemas.js";
import type {
  PaymentPayload,
  PaymentRequirements,
  SettleResponse,
  SupportedResponse,
  VerifyResponse,
} from "../protocol/types.js";
import { parseWith } from "../protocol/validate.js";
import type { FacilitatorClient } from "../schemes/index.js";

/** Options of {@link HTTPFacilitatorClient}. */
export interface HTTPFacilitatorClientOptions {
  /** Base URL of the facilitator service. */
  url: string;
  /** Headers per endpoint, e.g. for API keys. */
  createAuthHeaders?: () => Promise<{
    verify?: Record<string, string>;
    settle?: Record<string, string>;
    supported?: Record<string, string>;
  }>;
  /** Per-request timeout. Default 30 000 ms. */
  timeoutMs?: number;
  /** The fetch implementation. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/**
 * Talks to a remote facilitator over HTTP. Network failures become
 * `facilitator_unavailable` and malformed answers `facilitator_bad_response` (status 502);
 * a merely invalid payment is a normal result.
 *
 * @example
 * ```ts
 * const facilitator = new HTTPFacilitatorClient({ url: "http://127.0.0.1:4020" });
 * const server = new x402ResourceServer(facilitator);
 * ```
 */
export class HTTPFacilitatorClient implements FacilitatorClient {
  readonly url: string;
  private readonly options: HTTPFacilitatorClientOptions;

  constructor(options: HTTPFacilitatorClientOptions) {
    this.url = options.url.replace(/\/+$/, "");
    this.options = options;
  }

  verify(paymentPayload: PaymentPayload, paymentRequirements: PaymentRequirements): Promise<VerifyResponse> {
    const body = { x402Version: paymentPayload.x402Version, paymentPayload, paymentRequirements };
    return this.call("verify", "POST", body, VerifyResponseSchema, "isValid");
  }

  settle(paymentPayload: PaymentPayload, paymentRequirements: PaymentRequirements): Promise<SettleResponse> {
    const body = { x402Version: paymentPayload.x402Version, paymentPayload, paymentRequirements };
    return this.call("settle", "POST", body, SettleResponseSchema, "success");
  }

  getSupported(): Promise<SupportedResponse> {
    return this.call("supported", "GET", undefined, SupportedResponseSchema);
  }

  private async call<S extends v.GenericSchema>(
    endpoint: "verify" | "settle" | "supported",
    method: string,
    body: unknown,
    schema: S,
    resultKey?: string,
  ): Promise<v.InferOutput<S>> {
    const auth = (await this.options.createAuthHeaders?.())?.[endpoint] ?? {};
    const fetchFn = this.options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchFn(`${this.url}/${endpoint}`, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...auth },
        body: body === undefined ? undefined : JSON.stringify(body, bigintToString),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (cause) {
      throw new X402Error(
        "facilitator_unavailable",
        `facilitator ${endpoint} failed: ${describeError(cause)}`,
        {
          status: 502,
          cause,
        },
      );
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (cause) {
      throw new X402Error(
        "facilitator_bad_response",
        `facilitator ${endpoint} answered ${response.status} without JSON`,
        {
          status: 502,
          cause,
        },
      );
    }
    // A non-2xx answer that still carries a result (e.g. 400 with isValid:false) is a result.
    if (!response.ok && !(resultKey && typeof json === "object" && json !== null && resultKey in json)) {
      const message =
        (json as { message?: unknown; error?: unknown })?.message ?? (json as { error?: unknown })?.error;
      throw new X402Error(
        "facilitator_bad_response",
        `facilitator ${endpoint} answered ${response.status}: ${String(message)}`,
        {
          status: 502,
          details: { status: response.status },
        },
      );
    }
    return parseWith(schema, json, "facilitator_bad_response", 502);
  }
}

function bigintToString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
