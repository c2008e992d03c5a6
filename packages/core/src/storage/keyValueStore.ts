/** Options of a write to a {@link KeyValueStore}. */
export interface StoreWriteOptions {
  /** Time to live in milliseconds; the entry vanishes after it. Omitted: the entry never expires. */
  ttlMs?: number;
}

/** One live entry of a {@link KeyValueStore}. */
export interface StoreEntry {
  key: string;
  value: string;
}

/**
 * The storage every piece of x402kit state goes through: in-flight guards, pending
 * settlements, idempotency records, vouchers, spending totals, nonces. Values are strings
 * (callers encode JSON). Every method is atomic across all processes that share the store,
 * and an expired entry behaves exactly like an absent one. Keys and values are any text
 * without U+0000 (PostgreSQL cannot store it); a TTL that is not a positive number is
 * rejected with `X402Error` `invalid_store_ttl`, and a store used after `close()` throws.
 *
 * Backends: {@link MemoryStore} (one process), `@x402kit/storage/sqlite` (one durable node),
 * `@x402kit/storage/redis` and `@x402kit/storage/postgres` (many instances).
 *
 * @example
 * ```ts
 * const store: KeyValueStore = new MemoryStore();
 * if (await store.claim("inflight:0xabc", "server-1", { ttlMs: 60_000 })) {
 *   try { await settle(); } finally { await store.compareAndSet("inflight:0xabc", "server-1", undefined); }
 * }
 * ```
 */
export interface KeyValueStore {
  /** The live value of `key`, or `undefined`. */
  get(key: string): Promise<string | undefined>;
  /** Write `value` unconditionally (replacing any value and its TTL). */
  set(key: string, value: string, options?: StoreWriteOptions): Promise<void>;
  /** Write `value` only if `key` is absent or expired. True when this call wrote it. */
  claim(key: string, value: string, options?: StoreWriteOptions): Promise<boolean>;
  /**
   * Replace the value only if it currently equals `expected` (`undefined`: absent or expired).
   * A `value` of `undefined` deletes the entry. True when the swap happened. The new value's
   * TTL comes from `options` (omitted: no expiry).
   */
  compareAndSet(
    key: string,
    expected: string | undefined,
    value: string | undefined,
    options?: StoreWriteOptions,
  ): Promise<boolean>;
  /** Remove `key` (no-op when absent). */
  delete(key: string): Promise<void>;
  /**
   * Live entries whose key starts with `prefix` (taken literally: no wildcards), in ascending
   * key order (for reconciling pending work). Meant for modest sets of keys, not bulk export.
   */
  list(prefix: string): Promise<StoreEntry[]>;
  /** Release connections or file handles. */
  close?(): Promise<void>;
}
