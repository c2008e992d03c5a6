import { describeError } from "./errors.js";
import { type AbortResult, HookList } from "./hooks.js";
import { failedSettlement, invalidVerification } from "./protocol/results.js";
import type {
  PaymentPayload,
  PaymentRequirements,
  SettleResponse,
  VerifyResponse,
} from "./protocol/types.js";

/** Context of every verify / settle hook. */
export interface PaymentHookContext {
  paymentPayload: PaymentPayload;
  requirements: PaymentRequirements;
  /** Resource server only: the route's extension declarations. */
  declaredExtensions?: Record<string, unknown>;
  /** Resource server only: the transport's request (HTTP: the pipeline's request description). */
  transportContext?: unknown;
}

/** A failure hook's way to replace a failed result. */
export type Recovery<T> = { recovered: true; result: T };
/** A hook: may answer synchronously or not, or not at all. */
export type Hook<Context, Result = void> = (ctx: Context) => Result | undefined | Promise<Result | undefined>;
/** Context of a failure hook: the failed result, or what was thrown. */
export type FailureContext<T> = PaymentHookContext & { result?: T; error?: unknown };

/**
 * The verify / settle lifecycle shared by the resource-server and facilitator engines:
 * the six official hooks and the one order they run in.
 *
 * - `onBefore…` hooks are gates: `{ abort: true, reason }` (or a throw) stops the operation.
 * - `onAfter…` hooks see successful results only and cannot break them.
 * - `on…Failure` hooks see invalid results and thrown errors and may `{ recovered: true, result }`.
 *
 * @example
 * ```ts
 * server.onBeforeSettle(({ requirements }) =>
 *   requirements.amount === "0" ? { abort: true, reason: "free_is_not_sold" } : undefined);
 * ```
 */
export abstract class PaymentLifecycle {
  private readonly beforeVerify = new HookList<PaymentHookContext, AbortResult>("before_verify_hook_error");
  private readonly afterVerify = new HookList<PaymentHookContext & { result: VerifyResponse }>();
  private readonly verifyFailure = new HookList<FailureContext<VerifyResponse>, Recovery<VerifyResponse>>();
  private readonly beforeSettle = new HookList<PaymentHookContext, AbortResult>("before_settle_hook_error");
  private readonly afterSettle = new HookList<PaymentHookContext & { result: SettleResponse }>();
  private readonly settleFailure = new HookList<FailureContext<SettleResponse>, Recovery<SettleResponse>>();

  /** Runs before verification; `{ abort: true, reason }` makes the payment invalid. */
  onBeforeVerify(hook: Hook<PaymentHookContext, AbortResult>): this {
    this.beforeVerify.add(hook);
    return this;
  }
  /** Observes valid verification results. */
  onAfterVerify(hook: Hook<PaymentHookContext & { result: VerifyResponse }>): this {
    this.afterVerify.add(hook);
    return this;
  }
  /** Runs for invalid results and thrown errors; may return `{ recovered: true, result }`. */
  onVerifyFailure(hook: Hook<FailureContext<VerifyResponse>, Recovery<VerifyResponse>>): this {
    this.verifyFailure.add(hook);
    return this;
  }
  /** Runs before settlement; `{ abort: true, reason }` fails it without moving money. */
  onBeforeSettle(hook: Hook<PaymentHookContext, AbortResult>): this {
    this.beforeSettle.add(hook);
    return this;
  }
  /** Observes successful settlements; a throwing hook is reported, never turns them into failures. */
  onAfterSettle(hook: Hook<PaymentHookContext & { result: SettleResponse }>): this {
    this.afterSettle.add(hook);
    return this;
  }
  /** Runs for failed settlements and thrown errors; may return `{ recovered: true, result }`. */
  onSettleFailure(hook: Hook<FailureContext<SettleResponse>, Recovery<SettleResponse>>): this {
    this.settleFailure.add(hook);
    return this;
  }

  /**
   * Verify through `call` with the hooks around it. A thrown error that no hook recovers goes
   * to `unrecovered`, which returns a result or rethrows.
   */
  protected async runVerify(
    ctx: PaymentHookContext,
    call: () => Promise<VerifyResponse>,
    unrecovered: (error: unknown) => VerifyResponse = (error) =>
      invalidVerification("unexpected_verify_error", describeError(error)),
  ): Promise<VerifyResponse> {
    if (!this.beforeVerify.empty) {
      const abort = await this.beforeVerify.first(ctx);
      if (abort?.abort) return invalidVerification(abort.reason, abort.message);
    }
    let result: VerifyResponse;
    try {
      result = await call();
    } catch (error) {
      const recovered = await this.verifyFailure.first({ ...ctx, error });
      return recovered?.recovered ? recovered.result : unrecovered(error);
    }
    if (!result.isValid) {
      const recovered = await this.verifyFailure.first({ ...ctx, result });
      return recovered?.recovered ? recovered.result : result;
    }
    if (!this.afterVerify.empty) await this.afterVerify.all({ ...ctx, result });
    return result;
  }

  /** Settle through `call` with the hooks around it. Never throws. */
  protected async runSettle(
    ctx: PaymentHookContext,
    call: () => Promise<SettleResponse>,
  ): Promise<SettleResponse> {
    const failed = (reason: string, message?: string) =>
      failedSettlement(ctx.requirements.network, reason, message);
    if (!this.beforeSettle.empty) {
      const abort = await this.beforeSettle.first(ctx);
      if (abort?.abort) return failed(abort.reason, abort.message);
    }
    let result: SettleResponse;
    try {
      result = await call();
    } catch (error) {
      const recovered = await this.settleFailure.first({ ...ctx, error });
      return recovered?.recovered
        ? recovered.result
        : failed("unexpected_settle_error", describeError(error));
    }
    if (!result.success) {
      const recovered = await this.settleFailure.first({ ...ctx, result });
      return recovered?.recovered ? recovered.result : result;
    }
    if (!this.afterSettle.empty) await this.afterSettle.all({ ...ctx, result });
    return result;
  }
}
