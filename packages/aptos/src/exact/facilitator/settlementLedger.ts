import { Hex, hashValues } from "@aptos-labs/ts-sdk";
import type { PaymentRequirements, SettleResponse } from "@x402kit/core";
import type { KeyValueStore } from "@x402kit/core/storage";
import type { AptosPayment } from "../../payload.js";

/**
 * What the store remembers of a settlement: written before submission (the hash is computed
 * from the signed bytes), so a retry (here, on another instance sharing the store, or after a
 * crash) follows the same transaction instead of losing it or answering "settled" twice.
 *
 * @example
 * ```ts
 * const record: AptosSettlementRecord = { digest, hash: pending.hash, payer };
 * ```
 */
export interface AptosSettlementRecord {
  /** {@link aptosPaymentDigest} of the payment that was submitted. */
  digest: string;
  hash: string;
  payer: string;
  /** The transaction's `expiration_timestamp_secs`: past it (plus a margin), unseen means never committed. */
  expiresAt?: number;
  /** The final answer, once known. */
  response?: SettleResponse;
}

/** A held in-flight guard. */
export interface AptosSettlementGuard {
  release(): Promise<void>;
}

/**
 * Durable settlement state of Aptos `exact` in a {@link KeyValueStore}, keyed by network +
 * sender + sequence number (what makes an Aptos transaction single-use): one in-flight guard
 * (a lease renewed while held) and one record per key.
 *
 * @example
 * ```ts
 * const ledger = new AptosSettlementLedger(store, { guardTtlMs: 30_000, recordTtlMs: 86_400_000 });
 * const guard = await ledger.claim("aptos:4:0xabc…:7");
 * ```
 */
export class AptosSettlementLedger {
  constructor(
    private readonly store: KeyValueStore,
    private readonly options: { guardTtlMs: number; recordTtlMs: number; prefix?: string },
  ) {}

  /** Take the in-flight guard of `key`, or undefined when another settle holds it. */
  async claim(key: string): Promise<AptosSettlementGuard | undefined> {
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
  async read(key: string): Promise<AptosSettlementRecord | undefined> {
    const text = await this.store.get(`${this.prefix}settlement:${key}`);
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as Partial<AptosSettlementRecord> | null;
      return typeof value?.digest === "string" && typeof value.hash === "string"
        ? (value as AptosSettlementRecord)
        : undefined;
    } catch {
      return undefined;
    }
  }

  async write(key: string, record: AptosSettlementRecord): Promise<void> {
    await this.store.set(`${this.prefix}settlement:${key}`, JSON.stringify(record), {
      ttlMs: this.options.recordTtlMs,
    });
  }

  /** Drop the record of `key` (a submission the node refused: a retry may settle afresh). */
  async forget(key: string): Promise<void> {
    await this.store.delete(`${this.prefix}settlement:${key}`);
  }

  private get prefix(): string {
    return this.options.prefix ?? "x402kit:aptos:exact:";
  }
}

/**
 * The ledger key of a payment: network, sender and sequence number.
 *
 * @example
 * ```ts
 * settlementKey("aptos:4", payment); // "aptos:4:0x…:7"
 * ```
 */
export function settlementKey(network: string, payment: AptosPayment): string {
  const raw = payment.transaction.rawTransaction;
  return `${network}:${raw.sender.toStringLong()}:${raw.sequence_number}`;
}

/**
 * SHA3-256 of the signed bytes and of what the requirement asks: two settle calls with the same
 * key but different digests are different payments.
 *
 * @example
 * ```ts
 * aptosPaymentDigest(payment, requirements); // "0x5c…"
 * ```
 */
export function aptosPaymentDigest(payment: AptosPayment, requirements: PaymentRequirements): string {
  const terms = [requirements.network, requirements.asset, requirements.payTo, requirements.amount].join("|");
  return new Hex(
    hashValues([payment.transactionBytes, payment.authenticatorBytes, terms.toLowerCase()]),
  ).toString();
}
