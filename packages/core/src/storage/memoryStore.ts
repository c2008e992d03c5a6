import { X402Error } from "../errors.js";
import type { KeyValueStore, StoreEntry, StoreWriteOptions } from "./keyValueStore.js";
import { storeTtlMs } from "./ttl.js";

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Expired entries are dropped when read; besides, a write removes all expired entries at
   * most once per this many milliseconds, so keys nobody reads again do not pile up.
   * Default 60000.
   */
  sweepIntervalMs?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

interface Slot {
  value: string;
  /** Epoch ms after which the entry is gone; `Infinity` for no expiry. */
  expiresAt: number;
}

/**
 * A {@link KeyValueStore} in a `Map` of this process: the default for a single instance and
 * for tests. Nothing survives a restart and nothing is shared with other processes; use
 * `@x402kit/storage` for that. No timers and no Node built-ins, so it runs in browsers and
 * edge workers too.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * await store.claim("inflight:0xabc", "server-1", { ttlMs: 60_000 }); // true
 * await store.claim("inflight:0xabc", "server-2"); // false
 * ```
 */
export class MemoryStore implements KeyValueStore {
  readonly #entries = new Map<string, Slot>();
  readonly #now: () => number;
  readonly #sweepIntervalMs: number;
  #lastSweep: number;
  #closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.#lastSweep = this.#now();
  }

  /** The number of entries held, expired ones not yet swept included (for monitoring). */
  get size(): number {
    return this.#entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#live(key)?.value;
  }

  async set(key: string, value: string, options?: StoreWriteOptions): Promise<void> {
    this.#write(key, value, storeTtlMs(options));
  }

  async claim(key: string, value: string, options?: StoreWriteOptions): Promise<boolean> {
    const ttl = storeTtlMs(options);
    if (this.#live(key)) return false;
    this.#write(key, value, ttl);
    return true;
  }

  async compareAndSet(
    key: string,
    expected: string | undefined,
    value: string | undefined,
    options?: StoreWriteOptions,
  ): Promise<boolean> {
    const ttl = storeTtlMs(options);
    if (this.#live(key)?.value !== expected) return false;
    if (value === undefined) this.#entries.delete(key);
    else this.#write(key, value, ttl);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.#open();
    this.#entries.delete(key);
  }

  async list(prefix: string): Promise<StoreEntry[]> {
    this.#open();
    const now = this.#now();
    const entries: StoreEntry[] = [];
    for (const [key, slot] of this.#entries) {
      if (key.startsWith(prefix) && slot.expiresAt > now) entries.push({ key, value: slot.value });
    }
    return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Drops every entry; later calls throw `store_closed`. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#entries.clear();
  }

  #open(): void {
    if (this.#closed) throw new X402Error("store_closed", "the store is closed");
  }

  /** The entry if present and unexpired; an expired one is removed on the way. */
  #live(key: string): Slot | undefined {
    this.#open();
    const slot = this.#entries.get(key);
    if (!slot) return undefined;
    if (slot.expiresAt > this.#now()) return slot;
    this.#entries.delete(key);
    return undefined;
  }

  #write(key: string, value: string, ttl: number | undefined): void {
    this.#open();
    const now = this.#now();
    this.#entries.set(key, { value, expiresAt: ttl === undefined ? Number.POSITIVE_INFINITY : now + ttl });
    if (now - this.#lastSweep >= this.#sweepIntervalMs) this.#sweep(now);
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [key, slot] of this.#entries) if (slot.expiresAt <= now) this.#entries.delete(key);
  }
}
