import type { KeyValueStore } from "../storage/keyValueStore.js";
import { MemoryStore } from "../storage/memoryStore.js";

/** How long a broadcast-but-unconfirmed settlement is remembered by default: 5 minutes. */
export const PENDING_SETTLEMENT_TTL_MS = 5 * 60 * 1000;

/**
 * Transaction hashes of settlements that were broadcast but not yet confirmed, keyed by an id
 * of the payment. A scheme records the hash before it answers `settlement_pending`, and looks
 * it up on the retry, so the retry waits on that transaction instead of sending a second one.
 *
 * @example
 * ```ts
 * const pending: PendingSettlementStore = new InMemoryPendingSettlementStore();
 * await pending.set(paymentId, txHash);
 * ```
 */
export interface PendingSettlementStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, txHash: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * A {@link PendingSettlementStore} over any {@link KeyValueStore}: memory for one process
 * (the default), or SQLite / Redis / PostgreSQL (`@x402kit/storage`) so that a retry landing on
 * another instance, or after a restart, still finds the transaction.
 *
 * @example
 * ```ts
 * const pending = new InMemoryPendingSettlementStore(); // one process
 * const shared = new InMemoryPendingSettlementStore({ store: new RedisStore(url) }); // many
 * ```
 */
export class InMemoryPendingSettlementStore implements PendingSettlementStore {
  private readonly store: KeyValueStore;
  private readonly ttlMs: number;
  private readonly prefix: string;

  constructor(options: { store?: KeyValueStore; ttlMs?: number; keyPrefix?: string } = {}) {
    this.store = options.store ?? new MemoryStore();
    this.ttlMs = options.ttlMs ?? PENDING_SETTLEMENT_TTL_MS;
    this.prefix = options.keyPrefix ?? "pending-settlement:";
  }

  get(key: string): Promise<string | undefined> {
    return this.store.get(this.prefix + key);
  }

  set(key: string, txHash: string): Promise<void> {
    return this.store.set(this.prefix + key, txHash, { ttlMs: this.ttlMs });
  }

  delete(key: string): Promise<void> {
    return this.store.delete(this.prefix + key);
  }
}
