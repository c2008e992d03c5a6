import type { KeyValueStore } from "../storage/keyValueStore.js";

/**
 * Running totals of what a client has paid, keyed by counter name. `add` is atomic: it adds
 * only when the new total stays within `cap`, so concurrent payments cannot pass a cap
 * together.
 *
 * @example
 * ```ts
 * const totals = memorySpendingTotals();
 * await totals.add("usd", 10_000n, 1_000_000n); // true
 * ```
 */
export interface SpendingTotals {
  get(key: string): Promise<bigint>;
  /** Add `delta` (may be negative) unless the result would exceed `cap`; true when added. */
  add(key: string, delta: bigint, cap?: bigint): Promise<boolean>;
}

/**
 * Totals kept in this process only (the default).
 *
 * @example
 * ```ts
 * new x402Client({ spendControls: { maxTotal: "$5" } }); // uses memorySpendingTotals()
 * ```
 */
export function memorySpendingTotals(): SpendingTotals {
  const totals = new Map<string, bigint>();
  return {
    async get(key) {
      return totals.get(key) ?? 0n;
    },
    async add(key, delta, cap) {
      const next = (totals.get(key) ?? 0n) + delta;
      if (cap !== undefined && delta > 0n && next > cap) return false;
      totals.set(key, next);
      return true;
    },
  };
}

/**
 * Totals kept in a {@link KeyValueStore}, so a long-running agent keeps its budget across
 * restarts and several processes share one. Each add is a compare-and-set loop.
 *
 * @example
 * ```ts
 * new x402Client({ spendControls: { maxTotal: "$20" }, store: new SqliteStore("agent.db") });
 * ```
 */
export function storeSpendingTotals(store: KeyValueStore, prefix = "x402:client:spent:"): SpendingTotals {
  return {
    async get(key) {
      return BigInt((await store.get(prefix + key)) ?? "0");
    },
    async add(key, delta, cap) {
      for (;;) {
        const current = await store.get(prefix + key);
        const next = BigInt(current ?? "0") + delta;
        if (cap !== undefined && delta > 0n && next > cap) return false;
        if (await store.compareAndSet(prefix + key, current, next.toString())) return true;
      }
    },
  };
}
