import { X402Error } from "../errors.js";
import type { SettleResponse } from "../protocol/types.js";
import type { KeyValueStore } from "../storage/keyValueStore.js";
import type { FacilitatorPluginOption } from "./plugin.js";

/**
 * The least a chain's settlement record holds: which payment was sent (`digest`), under which
 * transaction (`hash`), and the final answer once known.
 *
 * @example
 * ```ts
 * const record: BaseSettlementRecord = { digest: "0x5c…", hash: "0x9f…" };
 * ```
 */
export interface BaseSettlementRecord {
  /** Identifies the payment (payload + requirements) that was sent. */
  digest: string;
  /** The settlement transaction. */
  hash: string;
  /** The final answer, once known. */
  response?: SettleResponse;
}

/** A held in-flight guard. */
export interface SettlementGuard {
  /** Stop renewing and free the guard (only if still ours). */
  release(): Promise<void>;
  /**
   * False once the lease may have passed to someone else: a renewal found another holder, or
   * none succeeded within the TTL. Writes to the key then throw (nothing is sent after them).
   */
  held(): boolean;
}

/** Reason of a write refused because its settle lost the key's guard (nothing was sent after it). */
export const SETTLEMENT_GUARD_LOST = "settle_guard_lost";

interface Lease {
  token: string;
  renewedAt: number;
  lost: boolean;
}

/** TTLs and key prefix of a {@link SettlementLedger}. */
export interface SettlementLedgerOptions {
  /** How long a settle may hold a guard; a crashed holder frees it then. Renewed every third of it. */
  guardTtlMs: number;
  /** How long records answer retries. */
  recordTtlMs: number;
  /** Key prefix, to keep chains and services apart in one store (e.g. `x402kit:evm:exact:`). */
  prefix: string;
}

/**
 * The durable settlement state of a facilitator scheme, in a {@link KeyValueStore}: one in-flight
 * guard per payment key (a lease renewed while held, so only one settle sends, also across
 * instances sharing the store) and one record per key (written before or right after sending, so
 * a retry follows that transaction instead of sending a second one). Records without an answer
 * are also listed in a small pending index, for reconcilers. Every chain's facilitator uses it
 * with its own record type and key (what makes its payment single-use).
 *
 * @example
 * ```ts
 * const ledger = new SettlementLedger<BaseSettlementRecord>(store, {
 *   guardTtlMs: 30_000, recordTtlMs: 86_400_000, prefix: "x402kit:mychain:exact:",
 * });
 * const guard = await ledger.claim(key);
 * if (guard) try { await ledger.write(key, { digest, hash }); } finally { await guard.release(); }
 * ```
 */
export class SettlementLedger<R extends BaseSettlementRecord> {
  /** Guards this instance holds, by key: a write under a lost one is refused. */
  private readonly leases = new Map<string, Lease>();

  constructor(
    protected readonly store: KeyValueStore,
    protected readonly options: SettlementLedgerOptions,
  ) {}

  /** Take the in-flight guard of `key`, or `undefined` when another settle holds it. */
  async claim(key: string): Promise<SettlementGuard | undefined> {
    const guardKey = this.keyOf("inflight", key);
    const token = globalThis.crypto.randomUUID();
    const ttl = { ttlMs: this.options.guardTtlMs };
    const claimedAt = Date.now();
    if (!(await this.store.claim(guardKey, token, ttl))) return undefined;
    const lease: Lease = { token, renewedAt: claimedAt, lost: false };
    this.leases.set(key, lease);
    const renew = setInterval(
      () => {
        const startedAt = Date.now();
        this.store.compareAndSet(guardKey, token, token, ttl).then(
          (renewed) => {
            if (renewed) lease.renewedAt = Math.max(lease.renewedAt, startedAt);
            else lease.lost = true; // another holder has it: never ours again
          },
          () => undefined, // a store blip: the lease holds until its TTL (see isLost)
        );
      },
      Math.max(1, Math.floor(this.options.guardTtlMs / 3)),
    );
    (renew as { unref?: () => void }).unref?.();
    return {
      release: async () => {
        clearInterval(renew);
        if (this.leases.get(key) === lease) this.leases.delete(key);
        await this.store.compareAndSet(guardKey, token, undefined);
      },
      held: () => !this.isLost(lease),
    };
  }

  private isLost(lease: Lease): boolean {
    return lease.lost || Date.now() - lease.renewedAt >= this.options.guardTtlMs;
  }

  /** The record of `key`; a corrupt one counts as absent. */
  async read(key: string): Promise<R | undefined> {
    const text = await this.store.get(this.keyOf("settlement", key));
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as Partial<R> | null;
      return typeof value?.digest === "string" && typeof value.hash === "string" ? (value as R) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Remember a settlement, or its final answer; an unanswered one is listed as pending first. */
  async write(key: string, record: R): Promise<void> {
    // Under a guard whose renewal failed, another settle may hold the key now: refuse, so the
    // caller sends nothing (records are written before their transaction is broadcast).
    const lease = this.leases.get(key);
    if (lease && this.isLost(lease))
      throw new X402Error(
        SETTLEMENT_GUARD_LOST,
        "the settlement guard could not be renewed before its TTL; not written (nothing sent)",
      );
    const ttl = { ttlMs: this.options.recordTtlMs };
    if (!record.response) await this.store.set(this.keyOf("pending", key), "1", ttl);
    await this.store.set(this.keyOf("settlement", key), JSON.stringify(record), ttl);
    if (record.response) await this.store.delete(this.keyOf("pending", key));
  }

  /** Forget the record of `key` (its transaction was never sent, or can never land). */
  async forget(key: string): Promise<void> {
    await this.store.delete(this.keyOf("settlement", key));
    await this.store.delete(this.keyOf("pending", key));
  }

  /** Records without a final answer yet, with their keys (for a reconciler). */
  async listPending(): Promise<Array<{ key: string; record: R }>> {
    const prefix = this.keyOf("pending", "");
    const pending: Array<{ key: string; record: R }> = [];
    for (const entry of await this.store.list(prefix)) {
      const key = entry.key.slice(prefix.length);
      const record = await this.read(key);
      if (record && !record.response) pending.push({ key, record });
      // A marker left by a crash between two writes.
      else await this.store.delete(entry.key);
    }
    return pending;
  }

  private keyOf(kind: "inflight" | "pending" | "settlement", key: string): string {
    return `${this.options.prefix}${kind}:${key}`;
  }
}

/**
 * The two per-network options every chain plugin offers for its {@link SettlementLedger}
 * (`guardTtlMs`, `recordTtlMs`), with the defaults the plugins apply.
 *
 * @example
 * ```ts
 * const plugin = { family: "mychain", networkOptions: [rpcUrl, ...SETTLEMENT_LEDGER_OPTIONS], … };
 * ```
 */
export const SETTLEMENT_LEDGER_OPTIONS: readonly FacilitatorPluginOption[] = [
  {
    name: "guardTtlMs",
    type: "integer",
    default: 30_000,
    description:
      "lifetime of a settlement's in-flight guard (renewed while it runs; frees a crashed holder's)",
  },
  {
    name: "recordTtlMs",
    type: "integer",
    default: 86_400_000,
    description: "how long settlement records answer retries of the same payment",
  },
];
