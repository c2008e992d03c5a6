import { describeError, isX402Error, X402Error } from "../errors.js";
import { encodeHeaderJson, PAYMENT_RESPONSE_HEADER } from "../http/headers.js";
import { failedSettlement } from "../protocol/results.js";
import type {
  PaymentPayload,
  PaymentRequirements,
  SettleResponse,
  VerifyResponse,
} from "../protocol/types.js";
import type { InFlightGuard } from "./inFlightGuard.js";
import { type HttpResponseInstructions, jsonResponse, settlementFailedResponse } from "./responses.js";
import type { CompiledRoute, RequestContext } from "./routes.js";
import {
  parseSettlementOverridesHeader,
  SETTLEMENT_OVERRIDES_HEADER,
  type SettlementOverrides,
} from "./settlementOverrides.js";
import type { x402ResourceServer } from "./x402ResourceServer.js";

/** What settling a verified payment produced. */
export type SettleOutcome =
  | { type: "settled"; headers: Record<string, string>; settleResponse: SettleResponse }
  | { type: "failed"; response: HttpResponseInstructions; settleResponse: SettleResponse };

/**
 * What the adapter does once the handler has answered: `released` — send the handler's
 * answer unchanged (nothing charged); `settled` — send it with `headers` added; `failed` —
 * drop it and send `response`. In every case remove {@link SETTLEMENT_OVERRIDES_HEADER}
 * from the handler's answer first.
 */
export type HandlerCompletion = { type: "released" } | SettleOutcome | FailedWithoutReceipt;

/** Settlement broke down before a receipt existed (a throwing callback, say): the content stays withheld. */
type FailedWithoutReceipt = {
  type: "failed";
  response: HttpResponseInstructions;
  settleResponse?: undefined;
};

/** The handler's answer, as far as the pipeline needs it. */
export interface HandlerResponse {
  status: number;
  /** A header the handler set (for `Settlement-Overrides`). */
  getHeader?(name: string): string | undefined;
}

/** When a route settles: after its handler succeeded (default) or before the handler runs. */
export type SettlementPhase = "after-handler" | "before-handler";

/**
 * A payment that passed verification. For `settlementPhase: "after-handler"` the adapter runs
 * the handler, holds its output, then calls {@link afterHandler} — or, by hand, {@link settle}
 * (handler succeeded) or {@link release} (handler failed): exactly once. For
 * `"before-handler"` the payment is already settled: the adapter sets {@link settledHeaders}
 * on the response and lets the handler write freely (no holding, no further call).
 */
export interface VerifiedPayment {
  readonly paymentPayload: PaymentPayload;
  readonly requirements: PaymentRequirements;
  readonly verifyResponse: VerifyResponse;
  readonly declaredExtensions: Record<string, unknown> | undefined;
  /** Which of the two the adapter does (the route's `settlementPhase`). */
  readonly settlementPhase: SettlementPhase;
  /** `before-handler` only: the `PAYMENT-RESPONSE` header of the settlement, to set before the handler runs. */
  readonly settledHeaders?: Record<string, string>;
  /** `before-handler` only: the settlement's receipt. */
  readonly settleResponse?: SettleResponse;
  /**
   * Settle what the handler reports (default: the authorised amount). Throws
   * `invalid_settlement_amount` (nothing settled) for a charge above the authorised amount.
   */
  settle(overrides?: SettlementOverrides): Promise<SettleOutcome>;
  /** Give up without settling (the handler answered ≥ 400 or threw). No money moves. A no-op once settled or released. */
  release(): void;
  /**
   * The whole after-handler step: release for a status ≥ 400, else settle what the handler
   * reported. Never throws. For a `before-handler` payment: the settlement already made.
   */
  afterHandler(response: HandlerResponse): Promise<HandlerCompletion>;
}

const RELEASED: HandlerCompletion = { type: "released" };

/** The pipeline's {@link VerifiedPayment}: holds the in-flight claim until settled or released. */
export class PendingPayment implements VerifiedPayment {
  private done = false;
  /** Headers added to a success receipt (the v1 opt-in's `X-PAYMENT-RESPONSE`). */
  receiptHeaders?: (settle: SettleResponse) => Record<string, string>;
  declare readonly settledHeaders?: Record<string, string>;
  declare readonly settleResponse?: SettleResponse;

  constructor(
    private readonly server: x402ResourceServer,
    private readonly guard: InFlightGuard,
    private readonly claim: { id: string; token: string },
    private readonly route: CompiledRoute,
    private readonly context: RequestContext,
    readonly paymentPayload: PaymentPayload,
    readonly requirements: PaymentRequirements,
    readonly verifyResponse: VerifyResponse,
  ) {}

  get declaredExtensions(): Record<string, unknown> | undefined {
    return this.route.config.extensions;
  }

  // A getter, not a field: the after-handler path allocates nothing more per payment.
  get settlementPhase(): SettlementPhase {
    return "after-handler";
  }

  release(): void {
    if (this.done) return;
    this.done = true;
    this.guard.release(this.claim.id, this.claim.token);
    void this.server.releasePayment(this.paymentPayload, this.requirements);
  }

  async settle(overrides?: SettlementOverrides): Promise<SettleOutcome> {
    if (this.done)
      throw new X402Error("invalid_transaction_state", "this payment was already settled or released");
    this.done = true;
    let settleResponse: SettleResponse;
    try {
      settleResponse = await this.server.settlePayment(
        this.paymentPayload,
        this.requirements,
        this.route.config.extensions,
        this.context,
        overrides,
      );
    } catch (error) {
      // A refused charge settled nothing: the scheme may undo its reservation.
      this.guard.release(this.claim.id, this.claim.token);
      void this.server.releasePayment(this.paymentPayload, this.requirements);
      throw error;
    }
    const payer = this.verifyResponse.payer;
    if (settleResponse.success) {
      // The claim is kept until its TTL: a copy that verified just before the chain saw this
      // settlement would otherwise claim it next and run the handler for a spent payment.
      this.guard.settled(this.claim.id, this.claim.token);
      if (payer && !settleResponse.payer) settleResponse = { ...settleResponse, payer };
      return {
        type: "settled",
        settleResponse,
        headers: {
          [PAYMENT_RESPONSE_HEADER]: encodeHeaderJson(settleResponse),
          ...this.receiptHeaders?.(settleResponse),
        },
      };
    }
    this.guard.release(this.claim.id, this.claim.token);
    // Nothing was charged: the scheme may undo its reservation (a gate hook may have stopped it before it ran).
    void this.server.releasePayment(this.paymentPayload, this.requirements);
    const body = this.route.config.settlementFailedResponseBody
      ? await this.route.config.settlementFailedResponseBody(this.context, settleResponse)
      : undefined;
    const response = settlementFailedResponse(settleResponse, body);
    // A v1 client reads its receipt only from X-PAYMENT-RESPONSE.
    const extra = this.receiptHeaders?.(settleResponse);
    if (extra) response.headers = { ...response.headers, ...extra };
    return { type: "failed", settleResponse, response };
  }

  async afterHandler(response: HandlerResponse): Promise<HandlerCompletion> {
    if (response.status >= 400) {
      this.release();
      return RELEASED;
    }
    const overrides = parseSettlementOverridesHeader(response.getHeader?.(SETTLEMENT_OVERRIDES_HEADER));
    return this.settleOrFail(overrides);
  }

  /** {@link settle}, with a refused charge or a throwing body callback turned into a failure. Never throws. */
  async settleOrFail(overrides?: SettlementOverrides): Promise<SettleOutcome | FailedWithoutReceipt> {
    try {
      return await this.settle(overrides);
    } catch (error) {
      if (isX402Error(error, "invalid_settlement_amount")) {
        const receipt = failedSettlement(this.requirements.network, error.code, error.message);
        if (this.verifyResponse.payer) receipt.payer = this.verifyResponse.payer;
        return {
          type: "failed",
          settleResponse: receipt,
          response: settlementFailedResponse(receipt, undefined),
        };
      }
      // A throwing settlementFailedResponseBody (or a bug): the content stays withheld.
      return {
        type: "failed",
        response: jsonResponse(502, { error: "settlement_failed", message: describeError(error) }),
      };
    }
  }
}

/**
 * A `before-handler` payment, settled before the handler runs: the adapter sets
 * {@link settledHeaders} and lets the handler write. Settling again returns the same
 * settlement (no second charge); releasing is a no-op (the money has moved).
 */
export class SettledPayment implements VerifiedPayment {
  readonly settledHeaders: Record<string, string>;
  readonly settleResponse: SettleResponse;
  private readonly outcome: Promise<SettleOutcome>;

  constructor(
    private readonly pending: VerifiedPayment,
    outcome: Extract<SettleOutcome, { type: "settled" }>,
  ) {
    this.settledHeaders = outcome.headers;
    this.settleResponse = outcome.settleResponse;
    this.outcome = Promise.resolve(outcome);
  }

  get settlementPhase(): SettlementPhase {
    return "before-handler";
  }
  get paymentPayload(): PaymentPayload {
    return this.pending.paymentPayload;
  }
  get requirements(): PaymentRequirements {
    return this.pending.requirements;
  }
  get verifyResponse(): VerifyResponse {
    return this.pending.verifyResponse;
  }
  get declaredExtensions(): Record<string, unknown> | undefined {
    return this.pending.declaredExtensions;
  }
  settle(): Promise<SettleOutcome> {
    return this.outcome;
  }
  release(): void {}
  afterHandler(): Promise<HandlerCompletion> {
    return this.outcome;
  }
}
