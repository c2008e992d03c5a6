import type {
  PaymentPayload,
  PaymentPayloadV1,
  PaymentRequired,
  PaymentRequirements,
  SettleResponse,
} from "@x402kit/core";
import type {
  PaymentPayloadContext,
  PaymentResponseContext,
  SchemeClient,
  TransportResponse,
} from "@x402kit/core/client";
import {
  decodeHeaderJson,
  encodePaymentRequiredHeader,
  encodePaymentResponseHeader,
} from "@x402kit/core/http";

/**
 * TEST DOUBLE: a client scheme "tally" on the made-up network `test:tally`, shaped like
 * batch-settlement: every payment signs a *cumulative* total (what was charged before plus
 * this request's amount). The server answers a total it does not expect with a corrective
 * 402 carrying its own count in `accepts[].extra.chargedCumulative`; the scheme adopts that
 * count and asks for one more try. It exists to test core's client loop without a chain.
 */
export const TALLY_NETWORK = "test:tally" as const;
export const TALLY_ASSET = "TUSD";
export const TALLY_MISMATCH = "invalid_tally_cumulative_mismatch";

export class TallyClientScheme implements SchemeClient {
  readonly scheme = "tally";
  /** The total this client believes it has been charged. */
  charged = 0n;
  readonly responses: PaymentResponseContext[] = [];
  readonly contexts: PaymentPayloadContext[] = [];

  constructor(readonly payer = "alice") {}

  async createPaymentPayload(
    x402Version: number,
    requirements: PaymentRequirements,
    context?: PaymentPayloadContext,
  ) {
    this.contexts.push(context ?? {});
    const cumulative = this.charged + BigInt(requirements.amount);
    return { x402Version, payload: { from: this.payer, cumulative: cumulative.toString() } };
  }

  findDefaultAsset(asset: string) {
    return asset === TALLY_ASSET ? { asset, decimals: 6, symbol: "TUSD" } : undefined;
  }

  handlePaymentResponse(context: PaymentResponseContext) {
    this.responses.push(context);
    const reported = context.settleResponse?.extra?.chargedCumulative;
    if (context.settleResponse?.success && typeof reported === "string") this.charged = BigInt(reported);
    const required = context.paymentRequired;
    const corrected = required?.accepts[0]?.extra?.chargedCumulative;
    if (required?.error !== TALLY_MISMATCH || typeof corrected !== "string") return undefined;
    this.charged = BigInt(corrected);
    return { recovered: true } as const;
  }
}

/** TEST DOUBLE: the v1 flavour: a v1 registration returns the whole v1 payload. */
export class TallyClientSchemeV1 implements SchemeClient {
  readonly scheme = "tally";
  readonly seen: PaymentRequirements[] = [];
  async createPaymentPayload(x402Version: number, requirements: PaymentRequirements) {
    this.seen.push(requirements);
    return {
      x402Version,
      scheme: requirements.scheme,
      network: requirements.network,
      payload: { from: "alice", amount: requirements.amount },
    };
  }
  findDefaultAsset(asset: string) {
    return asset === TALLY_ASSET ? { asset, decimals: 6, symbol: "TUSD" } : undefined;
  }
}

/** One request as the tally server double sees it. */
export interface TallyRequest {
  url: string;
  headers: Record<string, string>;
}

/** How the tally server double behaves. */
export interface TallyServerOptions {
  /** What it has charged this payer so far (a client that lost its state disagrees). */
  charged?: bigint;
  /** `"stubborn"`: every payment gets a corrective 402; `"reject"`: every payment gets a plain 402. */
  mode?: "fair" | "stubborn" | "reject";
  /** Per-request price, atomic. */
  amount?: string;
  extensions?: Record<string, unknown>;
  /** `resource.url` of corrective 402s (default: the request URL). */
  correctiveResource?: string;
  /** The first N paid requests answer `settlement_pending` (charging nothing yet). */
  pendingAnswers?: number;
}

/**
 * TEST DOUBLE: a resource server for "tally" that answers like an x402 server would
 * (`PAYMENT-REQUIRED`, `PAYMENT-RESPONSE`), recording every request it gets.
 */
export class TallyServer {
  readonly requests: TallyRequest[] = [];
  charged: bigint;

  private pendingLeft: number;

  constructor(readonly options: TallyServerOptions = {}) {
    this.charged = options.charged ?? 0n;
    this.pendingLeft = options.pendingAnswers ?? 0;
  }

  requirements(extra: Record<string, unknown> = {}): PaymentRequirements {
    return {
      scheme: "tally",
      network: TALLY_NETWORK,
      amount: this.options.amount ?? "10000",
      asset: TALLY_ASSET,
      payTo: "merchant",
      maxTimeoutSeconds: 60,
      extra,
    };
  }

  paymentRequired(url: string, error?: string, extra?: Record<string, unknown>): PaymentRequired {
    return {
      x402Version: 2,
      ...(error ? { error } : {}),
      resource: { url },
      accepts: [this.requirements(extra)],
      ...(this.options.extensions ? { extensions: this.options.extensions } : {}),
    };
  }

  /** Answer one request; `headers` are lower-cased names. */
  handle(request: TallyRequest): { status: number; headers: Record<string, string>; body: string } {
    this.requests.push(request);
    const header = request.headers["payment-signature"];
    if (!header) return this.required(this.paymentRequired(request.url));
    const payload = decodeHeaderJson(header) as PaymentPayload;
    const signed = BigInt((payload.payload as { cumulative: string }).cumulative);
    const amount = BigInt(payload.accepted.amount);
    const { mode = "fair" } = this.options;
    if (this.pendingLeft > 0) {
      this.pendingLeft -= 1;
      const pending: SettleResponse = {
        success: false,
        errorReason: "settlement_pending",
        transaction: "0xpending",
        network: TALLY_NETWORK,
      };
      const answer = this.required(this.paymentRequired(request.url, "settlement_pending"));
      return {
        ...answer,
        headers: { ...answer.headers, "payment-response": encodePaymentResponseHeader(pending) },
      };
    }
    if (mode === "reject") return this.required(this.paymentRequired(request.url, "insufficient_funds"));
    if (mode === "stubborn" || signed !== this.charged + amount) {
      const url = this.options.correctiveResource ?? request.url;
      return this.required(
        this.paymentRequired(url, TALLY_MISMATCH, { chargedCumulative: this.charged.toString() }),
      );
    }
    this.charged = signed;
    const receipt: SettleResponse = {
      success: true,
      transaction: "",
      network: TALLY_NETWORK,
      payer: (payload.payload as { from: string }).from,
      amount: amount.toString(),
      extra: { chargedCumulative: this.charged.toString() },
    };
    return {
      status: 200,
      headers: { "payment-response": encodePaymentResponseHeader(receipt) },
      body: "content",
    };
  }

  /** A `send` for core's `payForResponse`: the caller's request to `url`, plus `headers`. */
  sender(url: string, base: Record<string, string> = {}) {
    return async (
      extra: Record<string, string>,
    ): Promise<TransportResponse<{ status: number; body: string }>> => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries({ ...base, ...extra })) headers[name.toLowerCase()] = value;
      const answer = this.handle({ url, headers });
      return {
        status: answer.status,
        getHeader: (name) => answer.headers[name.toLowerCase()],
        readJson: async () => JSON.parse(answer.body),
        response: { status: answer.status, body: answer.body },
      };
    };
  }

  private required(required: PaymentRequired) {
    return {
      status: 402,
      headers: { "payment-required": encodePaymentRequiredHeader(required) },
      body: "{}",
    };
  }
}

/** Decode the v1 `X-PAYMENT` header a v1 server would receive. */
export function decodeXPayment(header: string): PaymentPayloadV1 {
  return decodeHeaderJson(header) as PaymentPayloadV1;
}
