import type { SettleResponse } from "@x402kit/core";
import { SettlementLedger as CoreSettlementLedger } from "@x402kit/core/facilitator";
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

/**
 * The durable settlement state of Stellar `exact`: core's {@link CoreSettlementLedger} with
 * Stellar records, one guard and one record per authorization.
 *
 * @example
 * ```ts
 * const ledger = new StellarSettlementLedger(store, { guardTtlMs: 30_000, recordTtlMs: 86_400_000 });
 * ```
 */
export class StellarSettlementLedger extends CoreSettlementLedger<StellarSettlementRecord> {
  constructor(store: KeyValueStore, options: { guardTtlMs: number; recordTtlMs: number; prefix?: string }) {
    super(store, { ...options, prefix: options.prefix ?? "x402kit:stellar:exact:" });
  }
}
