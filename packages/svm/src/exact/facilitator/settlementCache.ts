import { type KeyValueStore, MemoryStore } from "@x402kit/core/storage";
import { SETTLEMENT_TTL_MS } from "../../constants.js";

/**
 * TTL and key prefix of a {@link SettlementCache}.
 *
 * @example
 * ```ts
 * new SettlementCache(store, { ttlMs: 180_000, prefix: "eu1:svm:" });
 * ```
 */
export interface SettlementCacheOptions {
  /** How long a settling or settled transaction is refused. Default 120 s (beyond a blockhash's life). */
  ttlMs?: number;
  /** Key prefix in the store. Default `x402kit:svm:exact:`. */
  prefix?: string;
}

/**
 * The duplicate-settlement guard of SVM `exact`, keyed on the transaction's message (what every
 * signer signs; the fee payer's empty slot is attacker-mutable). A key is claimed atomically in
 * a {@link KeyValueStore} before anything is sent, so one copy settles across concurrent
 * requests, across v1 and v2 (share one cache), and across facilitator instances sharing a
 * store (SQLite, Redis, PostgreSQL from `@x402kit/storage`). It also remembers a broadcast
 * whose confirmation timed out, so the retry follows that signature instead of re-sending.
 *
 * @example
 * ```ts
 * const cache = new SettlementCache(new RedisStore(redis));
 * new ExactSvmScheme(signer, cache); new ExactSvmSchemeV1(signer, cache);
 * ```
 */
export class SettlementCache {
  private readonly ttlMs: number;
  private readonly prefix: string;

  constructor(
    private readonly store: KeyValueStore = new MemoryStore(),
    options: SettlementCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? SETTLEMENT_TTL_MS;
    this.prefix = options.prefix ?? "x402kit:svm:exact:";
  }

  /** Claim `key` for one settlement; a token to release it, or undefined when already claimed. */
  async claim(key: string): Promise<string | undefined> {
    const token = globalThis.crypto.randomUUID();
    return (await this.store.claim(this.guardKey(key), token, { ttlMs: this.ttlMs })) ? token : undefined;
  }

  /** Free a claim (a failure before or on chain: the same transaction may be tried again). */
  async release(key: string, token: string): Promise<void> {
    await this.store.compareAndSet(this.guardKey(key), token, undefined);
  }

  /**
   * Take the unconfirmed broadcast of `key` (atomically: one retry follows it, a concurrent
   * copy does not).
   */
  async takePending(key: string): Promise<string | undefined> {
    const signature = await this.store.get(this.pendingKey(key));
    if (signature === undefined) return undefined;
    return (await this.store.compareAndSet(this.pendingKey(key), signature, undefined))
      ? signature
      : undefined;
  }

  /** Remember an unconfirmed broadcast (kept as long as the claim). */
  async markPending(key: string, signature: string): Promise<void> {
    await this.store.set(this.pendingKey(key), signature, { ttlMs: this.ttlMs });
  }

  private guardKey(key: string): string {
    return `${this.prefix}settle:${key}`;
  }
  private pendingKey(key: string): string {
    return `${this.prefix}pending:${key}`;
  }
}
