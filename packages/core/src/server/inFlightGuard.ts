import { X402Error } from "../errors.js";
import type { KeyValueStore } from "../storage/keyValueStore.js";

const KEY_PREFIX = "x402kit:server:inflight:";
// Tells this process's claims apart from other instances' sharing the store.
const PROCESS_TAG = Math.random().toString(36).slice(2, 10);
let claims = 0;

/**
 * Lets one copy of a payment through at a time, across every instance sharing the store.
 * A claim expires after its TTL, so a handler that never ends cannot hold a payment forever;
 * a release only removes its own claim, never a later one that replaced an expired claim.
 * Without a store the claims live in this instance's memory, checked synchronously (the
 * paid hot path then awaits nothing for the guard).
 *
 * @example
 * ```ts
 * const guard = new InFlightGuard(redisStore);
 * const token = await guard.claim(paymentId, 360);
 * if (token) try { await settle(); } finally { guard.release(paymentId, token); }
 * ```
 */
export class InFlightGuard {
  private readonly local = new Map<string, { token: string; expiresAt: number; settled?: true }>();
  private lastSweep = 0;

  constructor(
    private readonly store: KeyValueStore | undefined,
    /** Fixed TTL; default: the payment's `maxTimeoutSeconds` plus a minute. */
    private readonly ttlSeconds?: number,
  ) {
    // Zero or a negative TTL would switch the guard off without a word.
    if (ttlSeconds !== undefined && !(Number.isFinite(ttlSeconds) && ttlSeconds > 0))
      throw new X402Error(
        "invalid_store_ttl",
        `inFlightTtlSeconds must be a positive number, got ${ttlSeconds}`,
      );
  }

  /** A token when this call holds the payment now, `undefined` when another copy does. */
  claim(id: string, maxTimeoutSeconds: number): string | undefined | Promise<string | undefined> {
    const token = `${PROCESS_TAG}:${++claims}`;
    const ttlMs = (this.ttlSeconds ?? maxTimeoutSeconds + 60) * 1000;
    const now = Date.now();
    if (this.store)
      return this.store.claim(KEY_PREFIX + id, token, { ttlMs }).then((won) => {
        // Remembered here too, so {@link isHeld} refuses this instance's copies without verifying.
        if (won) this.remember(id, token, Date.now(), ttlMs);
        return won ? token : undefined;
      });
    const held = this.local.get(id);
    if (held && held.expiresAt > now) return undefined;
    this.remember(id, token, now, ttlMs);
    return token;
  }

  private remember(id: string, token: string, now: number, ttlMs: number): void {
    this.local.set(id, { token, expiresAt: now + ttlMs });
    if (now - this.lastSweep > 60_000) this.sweep(now);
  }

  /**
   * Whether this instance holds a live claim on `id` (a cheap early refusal of a copy; with a
   * store, claims of other instances are only seen by {@link claim}).
   */
  isHeld(id: string): boolean {
    const held = this.local.get(id);
    return held !== undefined && held.settled === undefined && held.expiresAt > Date.now();
  }

  /**
   * The payment settled: its claim is kept until the TTL (never released), so a copy that
   * verified just before the chain saw the settlement cannot claim it and run the handler.
   * {@link isHeld} no longer reports it: a later copy is verified (and refused with the
   * scheme's own reason, e.g. nonce used), and refused by {@link claim} if it still passes.
   */
  settled(id: string, token: string): void {
    const held = this.local.get(id);
    if (held?.token === token) held.settled = true;
  }

  /** Let the payment go (not awaited: a store failure only delays the next copy until the TTL). */
  release(id: string, token: string): void {
    if (this.local.get(id)?.token === token) this.local.delete(id);
    if (this.store) this.store.compareAndSet(KEY_PREFIX + id, token, undefined).catch(reportReleaseFailure);
  }

  /** Drop expired claims nobody released (their handlers never ended). */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [id, held] of this.local) if (held.expiresAt <= now) this.local.delete(id);
  }
}

function reportReleaseFailure(error: unknown): void {
  console.error("[x402kit] could not release an in-flight payment guard (it expires by its TTL):", error);
}
