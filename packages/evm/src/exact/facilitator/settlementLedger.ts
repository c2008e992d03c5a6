import type { SettleResponse } from "@x402kit/core";
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
  /** The final answer, once the receipt was seen. */
  response?: SettleResponse;
  /** False while `response` was found by the reconciler and not yet given to any caller. */
  answered?: boolean;
}

/** A held in-flight guard. */
export interface SettlementGuard {
  /** Stop renewing and free the guard (only if still ours). */
  release(): Promise<void>;
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
 * The durable state of EVM `exact` settlement, in a {@link KeyValueStore}: one in-flight
 * guard per authorization (`claim` with a TTL, so only one settle broadcasts) and one
 * settlement record per authorization (hash + payment digest, then the final answer).
 *
 * @example
 * ```ts
 * const ledger = new SettlementLedger(store, { guardTtlMs: 60_000, recordTtlMs: 86_400_000 });
 * const token = await ledger.claim(key);
 * ```
 */
export class SettlementLedger {
  private readonly prefix: string;
  constructor(
    private readonly store: KeyValueStore,
    private readonly options: SettlementLedgerOptions,
  ) {
    this.prefix = options.prefix ?? "x402kit:evm:exact:";
  }

  /**
   * Take the in-flight guard of `key`, or undefined when another settle holds it. The guard is
   * a lease: renewed every third of its TTL while held, so it outlives a slow settle but not a
   * crashed holder.
   */
  async claim(key: string): Promise<SettlementGuard | undefined> {
    const guardKey = this.guardKey(key);
    const token = randomToken();
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

  /** The record of `key`, or undefined (a corrupt record counts as absent). */
  async read(key: string): Promise<SettlementRecord | undefined> {
    const text = await this.store.get(this.recordKey(key));
    return text === undefined ? undefined : parseRecord(text);
  }

  /**
   * Remember a broadcast (or its final answer). A record without an answer is also listed in
   * a small pending index (written first, removed after the answer), so the reconciler reads
   * only those, not every record kept for retries.
   */
  async write(key: string, record: SettlementRecord): Promise<void> {
    const ttl = { ttlMs: this.options.recordTtlMs };
    if (!record.response) await this.store.set(this.pendingKey(key), "1", ttl);
    await this.store.set(this.recordKey(key), JSON.stringify(record), ttl);
    if (record.response) await this.store.delete(this.pendingKey(key));
  }

  /** Forget the record of `key` (its transaction was never sent, or can never be mined). */
  async forget(key: string): Promise<void> {
    await this.store.delete(this.recordKey(key));
    await this.store.delete(this.pendingKey(key));
  }

  /** Records without a final answer yet, with their keys (for the reconciler). */
  async listPending(): Promise<Array<{ key: string; record: SettlementRecord }>> {
    const prefix = this.pendingKey("");
    const pending: Array<{ key: string; record: SettlementRecord }> = [];
    for (const entry of await this.store.list(prefix)) {
      const key = entry.key.slice(prefix.length);
      const record = await this.read(key);
      if (record && !record.response) pending.push({ key, record });
      // A marker left by a crash between two writes.
      else await this.store.delete(entry.key);
    }
    return pending;
  }

  private guardKey(key: string): string {
    return `${this.prefix}inflight:${key}`;
  }
  private pendingKey(key: string): string {
    return `${this.prefix}pending:${key}`;
  }
  private recordKey(key: string): string {
    return `${this.prefix}settlement:${key}`;
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

function parseRecord(text: string): SettlementRecord | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return isRecord(value) && typeof value.digest === "string" && typeof value.hash === "string"
      ? (value as unknown as SettlementRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

function randomToken(): string {
  return globalThis.crypto.randomUUID();
}
