import { isX402Error } from "@x402kit/core";
import type { KeyValueStore } from "@x402kit/core/storage";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** Waits real time: expiry is checked against the backend's own clock, never a fake one. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SHORT_TTL = 200;
const PAST_SHORT_TTL = 400;

async function rejectsWithCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isX402Error(error, code as never), `expected X402Error ${code}, got ${String(error)}`).toBe(true);
}

/**
 * The behaviour every {@link KeyValueStore} must show. `factory` returns a fresh, empty store
 * for each test (its own table, namespace or file); the suite closes it afterwards.
 */
export function describeKeyValueStore(name: string, factory: () => Promise<KeyValueStore> | KeyValueStore) {
  describe(`KeyValueStore conformance: ${name}`, () => {
    let store: KeyValueStore;
    let closed = false;
    beforeEach(async () => {
      store = await factory();
      closed = false;
    });
    afterEach(async () => {
      if (!closed) await store.close?.();
    });

    it("get / set / delete", async () => {
      expect(await store.get("a")).toBeUndefined();
      await store.set("a", "1");
      expect(await store.get("a")).toBe("1");
      await store.set("a", "2");
      expect(await store.get("a")).toBe("2");
      await store.set("empty", "");
      expect(await store.get("empty")).toBe("");
      await store.delete("a");
      expect(await store.get("a")).toBeUndefined();
      await store.delete("never-written"); // no-op
      expect(await store.get("empty")).toBe("");
    });

    it("an entry vanishes after its TTL; set replaces the TTL", async () => {
      await store.set("short", "x", { ttlMs: SHORT_TTL });
      await store.set("long", "y", { ttlMs: 60_000 });
      await store.set("renewed", "z", { ttlMs: SHORT_TTL });
      await store.set("renewed", "z2"); // no TTL any more
      expect(await store.get("short")).toBe("x");
      await sleep(PAST_SHORT_TTL);
      expect(await store.get("short")).toBeUndefined();
      expect(await store.get("long")).toBe("y");
      expect(await store.get("renewed")).toBe("z2");
    });

    it("rejects a TTL that is not a positive number", async () => {
      for (const ttlMs of [0, -5, Number.NaN]) {
        await rejectsWithCode(store.set("k", "v", { ttlMs }), "invalid_store_ttl");
        await rejectsWithCode(store.claim("k", "v", { ttlMs }), "invalid_store_ttl");
        await rejectsWithCode(store.compareAndSet("k", undefined, "v", { ttlMs }), "invalid_store_ttl");
      }
      expect(await store.get("k")).toBeUndefined();
    });

    it("claim writes only once, and again after expiry", async () => {
      expect(await store.claim("c", "first", { ttlMs: SHORT_TTL })).toBe(true);
      expect(await store.claim("c", "second")).toBe(false);
      expect(await store.get("c")).toBe("first");
      await sleep(PAST_SHORT_TTL);
      expect(await store.claim("c", "third")).toBe(true);
      expect(await store.get("c")).toBe("third");
      expect(await store.claim("c", "fourth")).toBe(false);
    });

    it("50 concurrent claims of one key: exactly one wins, and its value is stored", async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.claim("race", `claimant-${i}`, { ttlMs: 60_000 })),
      );
      const winners = results.flatMap((won, i) => (won ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(await store.get("race")).toBe(`claimant-${winners[0]}`);
    });

    it("compareAndSet: absent expected, wrong expected, swap, delete via undefined", async () => {
      expect(await store.compareAndSet("k", "nothing-there", "v")).toBe(false);
      expect(await store.get("k")).toBeUndefined();
      expect(await store.compareAndSet("k", undefined, undefined)).toBe(true); // absent stays absent
      expect(await store.compareAndSet("k", undefined, "v1")).toBe(true);
      expect(await store.get("k")).toBe("v1");
      expect(await store.compareAndSet("k", undefined, "v2")).toBe(false);
      expect(await store.compareAndSet("k", undefined, undefined)).toBe(false);
      expect(await store.compareAndSet("k", "wrong", "v2")).toBe(false);
      expect(await store.get("k")).toBe("v1");
      expect(await store.compareAndSet("k", "v1", "v2")).toBe(true);
      expect(await store.get("k")).toBe("v2");
      expect(await store.compareAndSet("k", "v1", undefined)).toBe(false);
      expect(await store.get("k")).toBe("v2");
      expect(await store.compareAndSet("k", "v2", undefined)).toBe(true);
      expect(await store.get("k")).toBeUndefined();
    });

    it("compareAndSet: the swapped value takes the new TTL (or none); expired counts as absent", async () => {
      await store.set("t", "a");
      expect(await store.compareAndSet("t", "a", "b", { ttlMs: SHORT_TTL })).toBe(true);
      await store.set("u", "a", { ttlMs: SHORT_TTL });
      expect(await store.compareAndSet("u", "a", "b")).toBe(true); // no TTL any more
      await store.set("old", "stale", { ttlMs: SHORT_TTL });
      await sleep(PAST_SHORT_TTL);
      expect(await store.get("t")).toBeUndefined();
      expect(await store.get("u")).toBe("b");
      expect(await store.compareAndSet("old", "stale", "fresh")).toBe(false);
      expect(await store.compareAndSet("old", undefined, undefined)).toBe(true);
      expect(await store.compareAndSet("old", undefined, "fresh")).toBe(true);
      expect(await store.get("old")).toBe("fresh");
    });

    it("20 concurrent compareAndSet from one expected value: exactly one swaps", async () => {
      await store.set("counter", "0");
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.compareAndSet("counter", "0", `next-${i}`)),
      );
      const winners = results.flatMap((won, i) => (won ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(await store.get("counter")).toBe(`next-${winners[0]}`);
    });

    it("list: live entries of one prefix, in key order", async () => {
      await store.set("pending:b", "2");
      await store.set("pending:a", "1");
      await store.set("pending:c", "3", { ttlMs: SHORT_TTL });
      await store.set("pendingx", "other");
      await store.set("done:a", "other");
      await sleep(PAST_SHORT_TTL);
      expect(await store.list("pending:")).toEqual([
        { key: "pending:a", value: "1" },
        { key: "pending:b", value: "2" },
      ]);
      expect(await store.list("nothing:")).toEqual([]);
      expect((await store.list("")).map((entry) => entry.key)).toEqual([
        "done:a",
        "pending:a",
        "pending:b",
        "pendingx",
      ]);
    });

    it("list treats SQL LIKE and glob characters in the prefix literally", async () => {
      const keys = ["a%b:1", "a%bc", "a_b:1", "axb:1", "a*b:1", "a?b:1", "a[b]:1", "a\\b:1", "ab:1"];
      for (const key of keys) await store.set(key, key);
      const listed = async (prefix: string) => (await store.list(prefix)).map((entry) => entry.key);
      expect(await listed("a%b")).toEqual(["a%b:1", "a%bc"]);
      expect(await listed("a_b")).toEqual(["a_b:1"]);
      expect(await listed("a*b")).toEqual(["a*b:1"]);
      expect(await listed("a?b")).toEqual(["a?b:1"]);
      expect(await listed("a[b]")).toEqual(["a[b]:1"]);
      expect(await listed("a\\b")).toEqual(["a\\b:1"]);
      expect(await listed("a")).toHaveLength(keys.length);
    });

    it("keys and values with unicode, quotes and separators, and large JSON values, round-trip", async () => {
      const keys = [
        "payer:0xAbC:nonce",
        "100%",
        "snake_case",
        "with space",
        "quote'\"",
        "中文:ключ:🔑",
        "a\\b",
        "é",
      ];
      for (const key of keys) await store.set(key, `value of ${key}`);
      for (const key of keys) expect(await store.get(key)).toBe(`value of ${key}`);
      expect(await store.list("中文:")).toEqual([{ key: "中文:ключ:🔑", value: "value of 中文:ключ:🔑" }]);
      expect(await store.list("é")).toEqual([{ key: "é", value: "value of é" }]);

      const unicode = "héllo wörld — 🌍🚀 中文 العربية \u200d \t\n\r";
      await store.set("unicode", unicode);
      expect(await store.get("unicode")).toBe(unicode);
      const big = JSON.stringify({
        items: Array.from({ length: 5_000 }, (_, i) => ({
          i,
          memo: `entry ${i} ✓`,
          nested: { ok: i % 2 === 0 },
        })),
      });
      expect(big.length).toBeGreaterThan(200_000);
      expect(await store.claim("big", big)).toBe(true);
      expect(await store.get("big")).toBe(big);
      expect(await store.compareAndSet("big", big, `${big} `)).toBe(true);
      expect(await store.get("big")).toBe(`${big} `);
    });

    it("close() resolves, and a closed store refuses work", async () => {
      await store.set("k", "v");
      await store.close?.();
      closed = true;
      await expect(store.get("k")).rejects.toThrow();
      await expect(store.set("k", "v")).rejects.toThrow();
    });
  });
}

/** Two stores on shared state (two processes, as far as the backend can tell) race for one key. */
export function describeContention(name: string, pair: () => Promise<[KeyValueStore, KeyValueStore]>) {
  describe(`KeyValueStore contention between two clients: ${name}`, () => {
    it("25 claims from each client on one key: exactly one wins overall", async () => {
      const [a, b] = await pair();
      try {
        const claims = Array.from({ length: 50 }, (_, i) =>
          (i % 2 ? a : b).claim("shared", `c${i}`, { ttlMs: 60_000 }),
        );
        const results = await Promise.all(claims);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await a.get("shared")).toBe(`c${winner}`);
        expect(await b.get("shared")).toBe(`c${winner}`);
      } finally {
        await Promise.all([a.close?.(), b.close?.()]);
      }
    });

    it("compareAndSet from both clients: exactly one swap per round", async () => {
      const [a, b] = await pair();
      try {
        await a.set("turn", "0");
        for (let round = 0; round < 5; round++) {
          const results = await Promise.all(
            [a, b, a, b].map((store, i) =>
              store.compareAndSet("turn", String(round), `${round + 1}`, { ttlMs: 60_000 + i }),
            ),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
        }
        expect(await b.get("turn")).toBe("5");
      } finally {
        await Promise.all([a.close?.(), b.close?.()]);
      }
    });
  });
}
