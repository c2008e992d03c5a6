import { X402Error } from "../errors.js";
import type { StoreWriteOptions } from "./keyValueStore.js";

/**
 * The TTL of a write in whole milliseconds (fractions round up, so a TTL never shortens),
 * or `undefined` for no expiry. Backends call this so every store rejects the same inputs.
 *
 * @throws X402Error `invalid_store_ttl` when `ttlMs` is not a positive finite number.
 * @example
 * ```ts
 * const ttl = storeTtlMs({ ttlMs: 1.5 }); // 2
 * ```
 */
export function storeTtlMs(options: StoreWriteOptions | undefined): number | undefined {
  const ttl = options?.ttlMs;
  if (ttl === undefined) return undefined;
  if (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl <= 0) {
    throw new X402Error(
      "invalid_store_ttl",
      `ttlMs must be a positive number of milliseconds, got ${String(ttl)}`,
    );
  }
  return Math.ceil(ttl);
}
