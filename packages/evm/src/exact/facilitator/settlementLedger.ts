import type { SettleResponse } from "@x402kit/core";
import { SettlementLedger as CoreSettlementLedger } from "@x402kit/core/facilitator";
import type { KeyValueStore } from "@x402kit/core/storage";
import { keccak256, stringToHex } from "viem";
import { type ExactEvmPayload, isExactEvmPayload, isRecord } from "../payload.js";
import type { ExpectedTransfer, SettlementTarget } from "./settleTransfer.js";

/**
 * What the store remembers of a broadcast settlement: written right after the broadcast,
 * before the receipt wait, so a retry (on this or another instance, or after a restart)
 * follows the same transaction instead of sending a second one.
 *
 * @example
 * ```ts
 * const record: SettlementRecord = { digest, hash, target: payment };
 * ```
 */
export interface SettlementRecord {
  /** {@link paymentDigest} of the payment that was broadcast (any string that identifies it). */
  digest: string;
  hash: `0x${string}`;
  /** The EIP-3009 payment (older records, and EIP-3009 ones); others give `payer` + `transfers`. */
  target?: SettlementTarget;
  /** Who pays. */
  payer?: string;
  /** The Transfer events the receipt must show (default: the one of `target`). */
  transfers?: ExpectedTransfer[];
  /** The CAIP-2 network, for the reconciler. */
  network?: string;
  /** Sending account, nonce and signed bytes, when signed locally: the reconciler re-broadcasts these. */
  from?: `0x${string}`;
  nonce?: number;
  serialized?: `0x${string}`;
  /** When it was signed (ms since epoch). */
  sentAt?: number;
  /** When it was first seen "gone" (ms since epoch); forgotten only on a second observation later. */
  goneSeenAt?: number;
  /** The final answer, once the receipt was seen. */
  response?: SettleResponse;
  /** False while `response` was found by the reconciler and not yet given to any caller. */
  answered?: boolean;
}

/** TTLs of {@link SettlementLedger}. */
export interface SettlementLedgerOptions {
  /** How long a settle may hold the in-flight guard of an authorization (a crashed holder frees it then). */
  guardTtlMs: number;
  /** How long settlement records are kept for retries. */
  recordTtlMs: number;
  /** Key prefix, to share one store between services. Default `x402kit:evm:exact:`. */
  prefix?: string;
}

/**
 * The durable state of EVM settlement (`exact` and `upto`): core's {@link CoreSettlementLedger}
 * with EVM records, keyed by authorization (EIP-3009 `from` + nonce, Permit2 owner + nonce).
 *
 * @example
 * ```ts
 * const ledger = new SettlementLedger(store, { guardTtlMs: 60_000, recordTtlMs: 86_400_000 });
 * const guard = await ledger.claim(key);
 * ```
 */
export class SettlementLedger extends CoreSettlementLedger<SettlementRecord> {
  constructor(store: KeyValueStore, options: SettlementLedgerOptions) {
    super(store, { ...options, prefix: options.prefix ?? "x402kit:evm:exact:" });
  }
}

/**
 * A digest of everything a settlement depends on: the signed authorization and what the
 * requirements ask for. Two settle calls with the same authorization key but different
 * digests are different payments; the second is refused as `duplicate_settlement`.
 *
 * @example
 * ```ts
 * paymentDigest(payload.payload, requirements); // "0x5c…"
 * ```
 */
export function paymentDigest(
  inner: ExactEvmPayload,
  requirements: { network: string; asset: string; payTo: string; amount: string },
): string {
  const a = inner.authorization;
  const parts = [
    inner.signature,
    a.from,
    a.to,
    a.value,
    a.validAfter,
    a.validBefore,
    a.nonce,
    requirements.network,
    requirements.asset,
    requirements.payTo,
    requirements.amount,
  ].map((part) => String(part).toLowerCase());
  return keccak256(stringToHex(parts.join("|")));
}

/** True when `payload.payload` is an EIP-3009 payload. */
export function exactEvmPayloadOf(payload: unknown): ExactEvmPayload | undefined {
  const inner = isRecord(payload) ? payload.payload : undefined;
  return isExactEvmPayload(inner) ? inner : undefined;
}
