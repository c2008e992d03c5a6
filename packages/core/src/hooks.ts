import { describeError } from "./errors.js";

type Hook<Context, Result> = (context: Context) => Result | undefined | Promise<Result | undefined>;

/**
 * A list of async hooks run in registration order. A hook that throws never breaks the
 * payment flow around it: it is reported, and counts as "no answer" — except in a gate
 * (created with `abortReason`), where a throw stops the operation with that reason, since
 * a failed check must not let a payment through.
 *
 * @example
 * ```ts
 * const hooks = new HookList<{ amount: string }, AbortResult>("before_settle_hook_error");
 * hooks.add(({ amount }) => (BigInt(amount) > 10n ? { abort: true, reason: "too_much" } : undefined));
 * const abort = await hooks.first({ amount: "20" });
 * ```
 */
export class HookList<Context, Result = void> {
  private readonly hooks: Array<Hook<Context, Result>> = [];

  /** @param abortReason makes this list a gate: a throwing hook aborts with this reason. */
  constructor(private readonly abortReason?: string) {}

  add(hook: Hook<Context, Result>): void {
    this.hooks.push(hook);
  }

  /** True when no hook is registered (callers skip the await on the hot path). */
  get empty(): boolean {
    return this.hooks.length === 0;
  }

  /** Run hooks in order until one returns a value; returns that value. */
  async first(context: Context): Promise<Result | undefined> {
    for (const hook of this.hooks) {
      try {
        const result = await hook(context);
        if (result !== undefined && result !== null) return result;
      } catch (error) {
        if (this.abortReason)
          return { abort: true, reason: this.abortReason, message: describeError(error) } as Result;
        reportHookError(error);
      }
    }
    return undefined;
  }

  /** Run every hook, ignoring results and reporting errors. */
  async all(context: Context): Promise<void> {
    for (const hook of this.hooks) {
      try {
        await hook(context);
      } catch (error) {
        reportHookError(error);
      }
    }
  }
}

function reportHookError(error: unknown): void {
  console.error("[x402kit] a hook threw; the payment flow went on without it:", error);
}

/** Hook result that stops an operation. */
export interface AbortResult {
  abort: true;
  reason: string;
  message?: string;
}
