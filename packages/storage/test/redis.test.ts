import { isX402Error } from "@x402kit/core";
import { startRedis } from "@x402kit/devnet/services";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/redis/index.js";
import { describeContention, describeKeyValueStore } from "./conformance.js";

// A real redis-server on a free port, started here and stopped after the file.
let server: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

let namespaces = 0;
const namespace = () => `test-${++namespaces}:`;

describeKeyValueStore("RedisStore", () => new RedisStore(server.url, { keyPrefix: namespace() }));
describeContention("RedisStore, two connections", async () => {
  const keyPrefix = namespace();
  return [new RedisStore(server.url, { keyPrefix }), new RedisStore(server.url, { keyPrefix })];
});

describe("RedisStore", () => {
  it("keeps namespaces apart and stores keys under its prefix", async () => {
    const a = new RedisStore(server.url, { keyPrefix: "app-a:" });
    const b = new RedisStore(server.url, { keyPrefix: "app-b:" });
    const raw = new Redis(server.url);
    try {
      await a.set("k", "from a");
      expect(await b.get("k")).toBeUndefined();
      expect(await b.claim("k", "from b")).toBe(true);
      expect(await a.list("")).toEqual([{ key: "k", value: "from a" }]);
      expect(await raw.get("app-a:k")).toBe("from a");
      await a.set("ttl", "x", { ttlMs: 5_000 });
      const pttl = await raw.pttl("app-a:ttl");
      expect(pttl).toBeGreaterThan(4_000);
      expect(pttl).toBeLessThanOrEqual(5_000);
    } finally {
      await Promise.all([a.close(), b.close(), raw.quit()]);
    }
  });

  it("works over a client it was handed, leaves it open, and reloads its script after SCRIPT FLUSH", async () => {
    const client = new Redis(server.url);
    const store = new RedisStore(client, { keyPrefix: namespace() });
    expect(await store.compareAndSet("k", undefined, "1")).toBe(true);
    await client.script("FLUSH");
    expect(await store.compareAndSet("k", "1", "2")).toBe(true);
    await store.close();
    expect(await client.ping()).toBe("PONG");
    await client.quit();
  });

  it("refuses a client with ioredis's own keyPrefix (SCAN would not honour it)", async () => {
    const client = new Redis(server.url, { keyPrefix: "p:", lazyConnect: true });
    let thrown: unknown;
    try {
      new RedisStore(client);
    } catch (error) {
      thrown = error;
    }
    expect(isX402Error(thrown, "invalid_store_options")).toBe(true);
    client.disconnect();
  });

  it("reports a server that is gone as store_unavailable", async () => {
    const other = await startRedis();
    const store = new RedisStore(
      new Redis(other.url, { maxRetriesPerRequest: 0, retryStrategy: () => null }),
    );
    await store.set("k", "v");
    await other.stop();
    const error = await store.get("k").catch((e: unknown) => e);
    expect(isX402Error(error, "store_unavailable")).toBe(true);
  });
});
