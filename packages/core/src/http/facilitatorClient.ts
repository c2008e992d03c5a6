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
import { FacilitatorResponseError, FacilitatorTimeoutError } from "./facilitatorErrors.js";

/** Options of {@link HTTPFacilitatorClient} (the official `FacilitatorConfig`). */
export interface HTTPFacilitatorClientOptions {
  /** Base URL of the facilitator service. Default: the public `https://x402.org/facilitator`. */
  url?: string;
  /**
   * Headers per endpoint, keyed by path (`verify`, `settle`, `supported`, or an extension's
   * key such as `bazaar`), e.g. for API keys. A flat headers object is refused.
   */
  createAuthHeaders?: () => Promise<Record<string, Record<string, string> | undefined>>;
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
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs: number;
  private readonly options: HTTPFacilitatorClientOptions;

  constructor(options: HTTPFacilitatorClientOptions = {}) {
    this.url = (options.url ?? "https://x402.org/facilitator").replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 30_000;
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

  /**
   * The auth headers for one path (its first segment keys `createAuthHeaders`' answer).
   * @example
   * ```ts
   * const { headers } = await facilitator.createAuthHeaders("settle");
   * ```
   */
  async createAuthHeaders(path: string): Promise<{ headers: Record<string, string> }> {
    const all = await this.options.createAuthHeaders?.();
    if (!all) return { headers: {} };
    for (const value of Object.values(all))
      if (value !== undefined && (typeof value !== "object" || value === null))
        throw new X402Error(
          "invalid_facilitator_config",
          "createAuthHeaders must return headers keyed by path ({ verify, settle, supported, … }), not a flat headers object",
        );
    const key = path.replace(/^\/+/, "").split(/[/?]/)[0] as string;
    return { headers: { ...(all[key] ?? {}) } };
  }

  /**
   * Call any endpoint of the facilitator, e.g. one an extension added (`discovery/resources`).
   * JSON in, JSON out; failures are typed like verify/settle (502). Auth headers come from
   * `createAuthHeaders` under `authKey` (default: the path's first segment).
   * @example
   * ```ts
   * const page = await facilitator.request("discovery/resources?type=http", { authKey: "bazaar" });
   * ```
   */
  request(path: string, init: { method?: string; body?: unknown; authKey?: string } = {}): Promise<unknown> {
    const method = init.method ?? (init.body === undefined ? "GET" : "POST");
    return this.call(path.replace(/^\/+/, ""), method, init.body, undefined, undefined, init.authKey);
  }

  private async call<S extends v.GenericSchema>(
    endpoint: string,
    method: string,
    body: unknown,
    schema: S | undefined,
    resultKey?: string,
    authKey: string = endpoint,
  ): Promise<v.InferOutput<S>> {
    const auth = this.options.createAuthHeaders ? (await this.createAuthHeaders(authKey)).headers : undefined;
    const fetchFn = this.options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchFn(`${this.url}/${endpoint}`, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...auth },
        body: body === undefined ? undefined : JSON.stringify(body, bigintToString),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      if ((cause as { name?: unknown } | null)?.name === "TimeoutError")
        throw new FacilitatorTimeoutError(endpoint, this.timeoutMs, cause);
      throw new FacilitatorResponseError(`facilitator ${endpoint} failed: ${describeError(cause)}`, {
        code: "facilitator_unavailable",
        cause,
      });
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (cause) {
      if ((cause as { name?: unknown } | null)?.name === "TimeoutError")
        throw new FacilitatorTimeoutError(endpoint, this.timeoutMs, cause);
      throw new FacilitatorResponseError(`facilitator ${endpoint} answered ${response.status} without JSON`, {
        cause,
      });
    }
    // A non-2xx answer that still carries a result (e.g. 400 with isValid:false) is a result.
    if (!response.ok && !(resultKey && typeof json === "object" && json !== null && resultKey in json)) {
      const message =
        (json as { message?: unknown; error?: unknown })?.message ?? (json as { error?: unknown })?.error;
      throw new FacilitatorResponseError(
        `facilitator ${endpoint} answered ${response.status}: ${String(message)}`,
        {
          details: { status: response.status },
        },
      );
    }
    if (!schema) return json as v.InferOutput<S>;
    try {
      return parseWith(schema, json, "facilitator_bad_response", 502);
    } catch (cause) {
      throw new FacilitatorResponseError(`facilitator ${endpoint}: ${describeError(cause)}`, { cause });
    }
  }
}

function bigintToString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
