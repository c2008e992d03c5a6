import type { KeyValueStore } from "@x402kit/core/storage";
import { Permit2Reason as R } from "../permit2/reasons.js";

/**
 * The store-backed limits of a gas sponsor: each payer is funded at most once per cooldown,
 * and all funding together stays within a budget per time window. Kept in a
 * {@link KeyValueStore}, so a restart or a second facilitator instance sharing the store
 * does not start afresh.
 *
 * @example
 * ```ts
 * const limits = new SponsorLimits(store, { cooldownMs: 86_400_000, budgetWei: 10n ** 17n, windowMs: 86_400_000 });
 * const release = await limits.reserve(payer, 50_000_000_000_000n);
 * ```
 */
export class SponsorLimits {
  constructor(
    private readonly store: KeyValueStore,
    private readonly options: { cooldownMs: number; budgetWei: bigint; windowMs: number; prefix: string },
  ) {}

  /** Why funding `payer` with `wei` would be refused now, or undefined. Reserves nothing. */
  async problem(payer: string, wei: bigint): Promise<string | undefined> {
    if ((await this.store.get(this.payerKey(payer))) !== undefined) return alreadyFunded(payer);
    const spent = BigInt((await this.store.get(this.budgetKey())) ?? "0");
    return spent + wei > this.options.budgetWei ? overBudget(wei, spent, this.options.budgetWei) : undefined;
  }

  /**
   * Take the payer's cooldown and `wei` of this window's budget, atomically each (claim,
   * compare-and-set); throws (reason `erc20_approval_tx_failed`) when either is refused.
   * Resolves a function that gives both back (for a funding that was never sent).
   */
  async reserve(payer: string, wei: bigint): Promise<() => Promise<void>> {
    const payerKey = this.payerKey(payer);
    if (!(await this.store.claim(payerKey, String(Date.now()), { ttlMs: this.options.cooldownMs })))
      throw new Error(`${R.Erc20ApprovalTxFailed}: ${alreadyFunded(payer)}`);
    const budgetKey = this.budgetKey();
    const ttl = { ttlMs: this.options.windowMs * 2 };
    try {
      for (let attempt = 0; ; attempt++) {
        const current = await this.store.get(budgetKey);
        const spent = BigInt(current ?? "0");
        if (spent + wei > this.options.budgetWei)
          throw new Error(`${R.Erc20ApprovalTxFailed}: ${overBudget(wei, spent, this.options.budgetWei)}`);
        if (await this.store.compareAndSet(budgetKey, current, String(spent + wei), ttl)) break;
        if (attempt > 50) throw new Error(`${R.Erc20ApprovalTxFailed}: the sponsor budget is contended`);
      }
    } catch (error) {
      await this.store.delete(payerKey).catch(() => undefined);
      throw error;
    }
    return async () => {
      await this.store.delete(payerKey).catch(() => undefined);
      for (let attempt = 0; attempt < 50; attempt++) {
        const current = await this.store.get(budgetKey);
        const spent = BigInt(current ?? "0");
        const left = spent > wei ? spent - wei : 0n;
        if (await this.store.compareAndSet(budgetKey, current, String(left), ttl)) return;
      }
    };
  }

  private payerKey(payer: string): string {
    return `${this.options.prefix}funded:${payer.toLowerCase()}`;
  }

  private budgetKey(): string {
    return `${this.options.prefix}budget:${Math.floor(Date.now() / this.options.windowMs)}`;
  }
}

const alreadyFunded = (payer: string) =>
  `${payer} was already funded for an approval; it pays its own gas now`;
const overBudget = (wei: bigint, spent: bigint, budget: bigint) =>
  `funding ${wei} wei would exceed the sponsor's budget (${spent} of ${budget} wei spent in this window)`;
