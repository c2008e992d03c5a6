import type { SettleResponse } from "@x402kit/core";
import type { KeyValueStore } from "@x402kit/core/storage";

/**
 * What the store keeps of a settlement transaction: written BEFORE `sendTransaction` (nothing is
 * sent unless it is stored), so a retry (here, on another instance sharing the store, or after a
 * crash) follows that transaction — sending the same envelope again if the network lost it —
 * instead of submitting the authorization again; removed when the network refuses it.
 *
 * @example
 * ```ts
 * const record: StellarSettlementRecord = { digest, hash: "9f2c…", payer: "GABC…" };
 * ```
 */
export interface StellarSettlementRecord {
  /** Digest of the payment (payload + requirements) that was submitted. */
  digest: string;
  hash: string;
  payer: string;
  /** The signed envelope (base64 XDR), for a rebroadcast. */
  envelope?: string;
  /** Its time bound (unix seconds): not landed by then, it never will. */
  maxTime?: number;
  /** The account whose sequence number it uses. */
  source?: string;
  /** The final answer, once known. */
  response?: SettleResponse;
}

/** A held in-flight guard. */
export interface StellarSettlementGuard {
  release(): Promise<void>;
}

/**
 * The durable settlement state of Stellar `exact` in a core {@link KeyValueStore}: one in-flight
 * guard per authorization (a lease with a TTL, renewed while held: one settle submits) and one
 * record per authorization (hash, then the final answer).
 *
 * @example
 * ```ts
 * const ledger = new StellarSettlementLedger(store, { guardTtlMs: 30_000, recordTtlMs: 86_400_000 });
 * ```
 */
export class StellarSettlementLedger {
  constructor(
    private readonly store: KeyValueStore,
    private readonly options: { guardTtlMs: number; recordTtlMs: number; prefix?: string },
  ) {}

  /** Take the guard of `key`, or `undefined` when another settle holds it. */
  async claim(key: string): Promise<StellarSettlementGuard | undefined> {
    const guardKey = `${this.prefix}inflight:${key}`;
    const token = globalThis.crypto.randomUUID();
    const ttl = { ttlMs: this.options.guardTtlMs };
    if (!(await this.store.claim(guardKey, token, ttl))) return undefined;
    const renew = setInterval(
      () => void this.store.compareAndSet(guardKey, token, token, ttl).catch(() => undefined),
      Math.max(1, Math.floor(this.options.guardTtlMs / 3)),
    );
    (renew as { unref?: () => void }).unref?.();
    return {
      release: async () => {
        clearInterval(renew);
        await this.store.compareAndSet(guardKey, token, undefined);
      },
    };
  }

  /** The record of `key` (a corrupt one counts as absent). */
  async read(key: string): Promise<StellarSettlementRecord | undefined> {
    const text = await this.store.get(`${this.prefix}settlement:${key}`);
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as Partial<StellarSettlementRecord>;
      return typeof value.digest === "string" && typeof value.hash === "string"
        ? (value as StellarSettlementRecord)
        : undefined;
    } catch {
      return undefined;
    }
  }

  /** Forget the record of `key` (its transaction was refused: it can never land). */
  async delete(key: string): Promise<void> {
    await this.store.delete(`${this.prefix}settlement:${key}`);
  }

  async write(key: string, record: StellarSettlementRecord): Promise<void> {
    await this.store.set(`${this.prefix}settlement:${key}`, JSON.stringify(record), {
      ttlMs: this.options.recordTtlMs,
    });
  }

  private get prefix(): string {
    return this.options.prefix ?? "x402kit:stellar:exact:";
  }
}
