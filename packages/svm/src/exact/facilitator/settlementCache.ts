import { type KeyValueStore, MemoryStore } from "@x402kit/core/storage";
import { SETTLED_TTL_MS, SETTLEMENT_TTL_MS } from "../../constants.js";

/**
 * TTLs and key prefix of a {@link SettlementCache}.
 *
 * @example
 * ```ts
 * new SettlementCache(store, { ttlMs: 180_000, prefix: "eu1:svm:" });
 * ```
 */
export interface SettlementCacheOptions {
  /**
   * How long one settlement may hold a transaction before and while sending: a claim expires
   * after it, and a broadcast whose settler has not answered by then may be followed by a
   * retry. Default 120 s (beyond a blockhash's life).
   */
  ttlMs?: number;
  /** How long a broadcast (pending or settled) transaction is remembered. Default 1 hour. */
  settledTtlMs?: number;
  /** Key prefix in the store. Default `x402kit:svm:exact:`. */
  prefix?: string;
  /** Clock in epoch ms (deadlines of broadcasts). Default `Date.now`. */
  now?: () => number;
}

/** What a settlement of one transaction message holds in the store; `raw` is its exact value. */
export interface SettlementHold {
  key: string;
  raw: string;
}

/** A broadcast taken over by a retry: the signature to follow and what it was settled for. */
export interface TakenOver {
  hold: SettlementHold;
  signature: string;
  payer: string;
}

/** What a broadcast is remembered with: its signature, the requirements' digest and payer. */
export interface Broadcast {
  signature: string;
  digest: string;
  payer: string;
}

type Entry =
  | { s: "claimed"; t: string }
  | { s: "sending"; t: string; sig: string; d: string; p: string; u: number }
  | { s: "pending"; t: string; sig: string; d: string; p: string }
  | { s: "settled"; sig: string };

/**
 * The duplicate-settlement guard of SVM `exact`, keyed on the transaction's message (what every
 * signer signs; the fee payer's empty slot is attacker-mutable). One entry per message moves
 * `claimed` → `sending` (recorded with the signature BEFORE the send) → `settled`, each step
 * a compare-and-set on the holder's own value in a {@link KeyValueStore}: one copy settles
 * across concurrent requests, v1 and v2 (share one cache) and instances sharing a store
 * (SQLite, Redis, PostgreSQL from `@x402kit/storage`), and only the current holder can
 * finalise. A broadcast whose outcome is unknown (`pending`, or `sending` past its deadline
 * after a crash) is taken over by one retry for the same requirements, which follows the same
 * signature instead of sending again.
 *
 * @example
 * ```ts
 * const cache = new SettlementCache(new RedisStore(redis));
 * new ExactSvmScheme(signer, cache); new ExactSvmSchemeV1(signer, cache);
 * ```
 */
export class SettlementCache {
  /** How long a claim, or a settler's hold on a broadcast, lasts (ms). */
  readonly ttlMs: number;
  private readonly settledTtlMs: number;
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(
    private readonly store: KeyValueStore = new MemoryStore(),
    options: SettlementCacheOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? SETTLEMENT_TTL_MS;
    this.settledTtlMs = Math.max(options.settledTtlMs ?? SETTLED_TTL_MS, this.ttlMs);
    this.prefix = options.prefix ?? "x402kit:svm:exact:";
  }

  /** Claim a message for one settlement; undefined when it is already claimed, broadcast or settled. */
  async claim(message: string): Promise<SettlementHold | undefined> {
    const key = this.guardKey(message);
    const raw = encode({ s: "claimed", t: token() });
    return (await this.store.claim(key, raw, { ttlMs: this.ttlMs })) ? { key, raw } : undefined;
  }

  /**
   * Record the signature about to be sent (before sending: a lost answer or a crash leaves it
   * followable). Undefined when the claim was lost meanwhile (then send nothing).
   */
  async markSending(hold: SettlementHold, broadcast: Broadcast): Promise<SettlementHold | undefined> {
    const raw = encode({
      s: "sending",
      t: token(),
      sig: broadcast.signature,
      d: broadcast.digest,
      p: broadcast.payer,
      u: this.now() + this.ttlMs,
    });
    return (await this.store.compareAndSet(hold.key, hold.raw, raw, { ttlMs: this.settledTtlMs }))
      ? { key: hold.key, raw }
      : undefined;
  }

  /** The epoch ms by which the holder of a `sending` entry must answer (others may follow it after). */
  deadline(hold: SettlementHold): number {
    const entry = decode(hold.raw);
    return entry?.s === "sending" ? entry.u : this.now() + this.ttlMs;
  }

  /** Give up waiting on a broadcast: a retry for the same requirements may follow it. */
  async markPending(hold: SettlementHold): Promise<boolean> {
    const entry = decode(hold.raw);
    if (entry?.s !== "sending") return false;
    const raw = encode({ s: "pending", t: entry.t, sig: entry.sig, d: entry.d, p: entry.p });
    return this.store.compareAndSet(hold.key, hold.raw, raw, { ttlMs: this.settledTtlMs });
  }

  /** Confirmed: settled for good. False when this holder lost the entry (another settler answers). */
  async finalise(hold: SettlementHold, signature: string): Promise<boolean> {
    const raw = encode({ s: "settled", sig: signature });
    return this.store.compareAndSet(hold.key, hold.raw, raw, { ttlMs: this.settledTtlMs });
  }

  /** Free the message (nothing was sent, or it definitely failed): it may be tried again. */
  async release(hold: SettlementHold): Promise<void> {
    await this.store.compareAndSet(hold.key, hold.raw, undefined);
  }

  /**
   * Take over a broadcast whose settler gave up (`pending`) or vanished (`sending` past its
   * deadline), atomically: one retry follows it. `"mismatch"` when it was broadcast for other
   * requirements; undefined when there is nothing to take over (claimed, settled, in flight).
   */
  async takeOver(message: string, digest: string): Promise<TakenOver | "mismatch" | undefined> {
    const key = this.guardKey(message);
    const current = await this.store.get(key);
    const entry = current === undefined ? undefined : decode(current);
    if (!entry || !(entry.s === "pending" || (entry.s === "sending" && this.now() > entry.u)))
      return undefined;
    if (entry.d !== digest) return "mismatch";
    const raw = encode({
      s: "sending",
      t: token(),
      sig: entry.sig,
      d: entry.d,
      p: entry.p,
      u: this.now() + this.ttlMs,
    });
    if (!(await this.store.compareAndSet(key, current, raw, { ttlMs: this.settledTtlMs }))) return undefined;
    return { hold: { key, raw }, signature: entry.sig, payer: entry.p };
  }

  /** True while a broadcast of the message for these requirements awaits its outcome (sending or pending). */
  async isAwaitingOutcome(message: string, digest: string): Promise<boolean> {
    const raw = await this.store.get(this.guardKey(message));
    const entry = raw === undefined ? undefined : decode(raw);
    return (entry?.s === "sending" || entry?.s === "pending") && entry.d === digest;
  }

  private guardKey(message: string): string {
    return `${this.prefix}settle:${message}`;
  }
}

function token(): string {
  return globalThis.crypto.randomUUID();
}

function encode(entry: Entry): string {
  return JSON.stringify(entry);
}

function decode(raw: string): Entry | undefined {
  try {
    const entry = JSON.parse(raw) as Entry;
    return typeof entry === "object" && entry !== null && typeof entry.s === "string" ? entry : undefined;
  } catch {
    return undefined;
  }
}
