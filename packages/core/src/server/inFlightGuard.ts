import type { KeyValueStore } from "../storage/keyValueStore.js";

const KEY_PREFIX = "x402kit:server:inflight:";
// Tells this process's claims apart from other instances' sharing the store.
const PROCESS_TAG = Math.random().toString(36).slice(2, 10);
let claims = 0;

/**
 * Lets one copy of a payment through at a time, across every instance sharing the store.
 * A claim expires after its TTL, so a handler that never ends cannot hold a payment forever;
 * a release only removes its own claim, never a later one that replaced an expired claim.
 *
 * @example
 * ```ts
 * const guard = new InFlightGuard(new MemoryStore());
 * const token = await guard.claim(paymentId, 360);
 * if (token) try { await settle(); } finally { guard.release(paymentId, token); }
 * ```
 */
export class InFlightGuard {
  constructor(
    private readonly store: KeyValueStore,
    /** Fixed TTL; default: the payment's `maxTimeoutSeconds` plus a minute. */
    private readonly ttlSeconds?: number,
  ) {}

  /** A token when this call holds the payment now, `undefined` when another copy does. */
  async claim(id: string, maxTimeoutSeconds: number): Promise<string | undefined> {
    const token = `${PROCESS_TAG}:${++claims}`;
    const ttlMs = (this.ttlSeconds ?? maxTimeoutSeconds + 60) * 1000;
    return (await this.store.claim(KEY_PREFIX + id, token, { ttlMs })) ? token : undefined;
  }

  /** Let the payment go (not awaited: a store failure only delays the next copy until the TTL). */
  release(id: string, token: string): void {
    this.store.compareAndSet(KEY_PREFIX + id, token, undefined).catch(reportReleaseFailure);
  }
}

function reportReleaseFailure(error: unknown): void {
  console.error("[x402kit] could not release an in-flight payment guard (it expires by its TTL):", error);
}
