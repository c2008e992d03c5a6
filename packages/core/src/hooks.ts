/**
 * A list of async hooks run in registration order; the first non-undefined result wins.
 * @example
 * ```ts
 * const hooks = new HookList<{ amount: string }, AbortResult>();
 * hooks.add(({ amount }) => (BigInt(amount) > 10n ? { abort: true, reason: "too_much" } : undefined));
 * const abort = await hooks.first({ amount: "20" });
 * ```
 */
export class HookList<Context, Result = void> {
  private readonly hooks: Array<(context: Context) => Result | undefined | Promise<Result | undefined>> = [];

  add(hook: (context: Context) => Result | undefined | Promise<Result | undefined>): void {
    this.hooks.push(hook);
  }

  get size(): number {
    return this.hooks.length;
  }

  /** Run hooks in order until one returns a value; returns that value. */
  async first(context: Context): Promise<Result | undefined> {
    for (const hook of this.hooks) {
      const result = await hook(context);
      if (result !== undefined && result !== null) return result;
    }
    return undefined;
  }

  /** Run every hook, ignoring results. */
  async all(context: Context): Promise<void> {
    for (const hook of this.hooks) await hook(context);
  }
}

/** Hook result that stops an operation. */
export interface AbortResult {
  abort: true;
  reason: string;
  message?: string;
}
