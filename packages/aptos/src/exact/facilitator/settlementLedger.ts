import { Hex, hashValues } from "@aptos-labs/ts-sdk";
import type { PaymentRequirements, SettleResponse } from "@x402kit/core";
import { SettlementLedger as CoreSettlementLedger } from "@x402kit/core/facilitator";
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

/**
 * Durable settlement state of Aptos `exact`: core's {@link CoreSettlementLedger} with Aptos
 * records, keyed by network + sender + sequence number (what makes an Aptos transaction
 * single-use).
 *
 * @example
 * ```ts
 * const ledger = new AptosSettlementLedger(store, { guardTtlMs: 30_000, recordTtlMs: 86_400_000 });
 * const guard = await ledger.claim("aptos:4:0xabc…:7");
 * ```
 */
export class AptosSettlementLedger extends CoreSettlementLedger<AptosSettlementRecord> {
  constructor(store: KeyValueStore, options: { guardTtlMs: number; recordTtlMs: number; prefix?: string }) {
    super(store, { ...options, prefix: options.prefix ?? "x402kit:aptos:exact:" });
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
