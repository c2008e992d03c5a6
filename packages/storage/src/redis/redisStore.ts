import { createHash } from "node:crypto";
import { X402Error } from "@x402kit/core";
import {
  type KeyValueStore,
  type StoreEntry,
  type StoreWriteOptions,
  storeTtlMs,
} from "@x402kit/core/storage";
import { Redis } from "ioredis";
import { storeFailure } from "../storeFailure.js";

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /** Namespace put before every key, so several apps can share one Redis. Default `x402kit:`. */
  keyPrefix?: string;
}

// KEYS[1] key; ARGV: hasExpected ("1"/"0"), expected, hasValue ("1"/"0"), value, ttl ms ("" = none).
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[3] == '0' then
  redis.call('DEL', KEYS[1])
elseif ARGV[5] == '' then
  redis.call('SET', KEYS[1], ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
end
return 1`;
const COMPARE_AND_SET_SHA = createHash("sha1").update(COMPARE_AND_SET).digest("hex");

const SCAN_BATCH = 500;

/**
 * A {@link KeyValueStore} in Redis, for many instances sharing state. Redis expires keys
 * itself (one clock for everyone); `claim` is `SET NX PX`, `compareAndSet` one Lua script,
 * `list` a `SCAN` of the namespace (single-node Redis; Cluster is not supported).
 *
 * Pass a URL (`redis://host:6379/0`) or an ioredis client. A client you pass stays open on
 * `close()` and must not use ioredis's own `keyPrefix` (use this store's option).
 *
 * @example
 * ```ts
 * import { RedisStore } from "@x402kit/storage/redis";
 * const store = new RedisStore(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { keyPrefix: "shop:" });
 * await store.claim("inflight:0xabc", "server-1", { ttlMs: 60_000 });
 * await store.close();
 * ```
 */
export class RedisStore implements KeyValueStore {
  readonly #client: Redis;
  readonly #ownsClient: boolean;
  readonly #namespace: string;

  constructor(connection: string | Redis, options: RedisStoreOptions = {}) {
    this.#namespace = options.keyPrefix ?? "x402kit:";
    this.#ownsClient = typeof connection === "string";
    this.#client = typeof connection === "string" ? new Redis(connection) : connection;
    if (this.#client.options.keyPrefix) {
      throw new X402Error(
        "invalid_store_options",
        "the ioredis client has a keyPrefix: pass it as RedisStore's keyPrefix",
      );
    }
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.#run("get", () => this.#client.get(this.#namespace + key));
    return value ?? undefined;
  }

  async set(key: string, value: string, options?: StoreWriteOptions): Promise<void> {
    const ttl = storeTtlMs(options);
    const full = this.#namespace + key;
    await this.#run("set", () =>
      ttl === undefined ? this.#client.set(full, value) : this.#client.set(full, value, "PX", ttl),
    );
  }

  async claim(key: string, value: string, options?: StoreWriteOptions): Promise<boolean> {
    const ttl = storeTtlMs(options);
    const full = this.#namespace + key;
    const reply = await this.#run("claim", () =>
      ttl === undefined
        ? this.#client.set(full, value, "NX")
        : this.#client.set(full, value, "PX", ttl, "NX"),
    );
    return reply === "OK";
  }

  async compareAndSet(
    key: string,
    expected: string | undefined,
    value: string | undefined,
    options?: StoreWriteOptions,
  ): Promise<boolean> {
    const ttl = storeTtlMs(options);
    const args = [
      this.#namespace + key,
      ...[expected === undefined ? "0" : "1", expected ?? ""],
      ...[value === undefined ? "0" : "1", value ?? "", ttl === undefined ? "" : String(ttl)],
    ];
    const reply = await this.#run("compareAndSet", async () => {
      try {
        return await this.#client.evalsha(COMPARE_AND_SET_SHA, 1, ...args);
      } catch (error) {
        // First use on this server (or after SCRIPT FLUSH): send the script itself once.
        if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
        return this.#client.eval(COMPARE_AND_SET, 1, ...args);
      }
    });
    return reply === 1;
  }

  async delete(key: string): Promise<void> {
    await this.#run("delete", () => this.#client.del(this.#namespace + key));
  }

  async list(prefix: string): Promise<StoreEntry[]> {
    return this.#run("list", async () => {
      const match = `${escapeGlob(this.#namespace + prefix)}*`;
      const keys = new Set<string>(); // SCAN may return a key twice
      let cursor = "0";
      do {
        const [next, batch] = await this.#client.scan(cursor, "MATCH", match, "COUNT", SCAN_BATCH);
        for (const key of batch) keys.add(key);
        cursor = next;
      } while (cursor !== "0");
      const all = [...keys];
      const entries: StoreEntry[] = [];
      for (let i = 0; i < all.length; i += SCAN_BATCH) {
        const chunk = all.slice(i, i + SCAN_BATCH);
        const values = await this.#client.mget(chunk);
        chunk.forEach((key, j) => {
          const value = values[j];
          // null: expired or deleted since the scan.
          if (value != null) entries.push({ key: key.slice(this.#namespace.length), value });
        });
      }
      return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    });
  }

  /** Closes the connection if this store opened it (a client you passed in stays open). */
  async close(): Promise<void> {
    if (this.#ownsClient && this.#client.status !== "end") await this.#client.quit();
  }

  async #run<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw storeFailure("redis", operation, error);
    }
  }
}

/** Escapes Redis glob metacharacters so the prefix matches literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
