import { describe, expect, it } from "vitest";
import { isX402Error } from "../src/errors.js";
import { MemoryStore, storeTtlMs } from "../src/storage/index.js";

// The full KeyValueStore conformance suite runs MemoryStore in packages/storage/test; these
// tests cover what only the memory backend has: the sweep, driven by a hand-moved clock.
describe("MemoryStore sweep", () => {
  it("drops expired entries nobody reads again, at most once per sweep interval", async () => {
    let now = 1_000; // a manual clock (test double for Date.now)
    const store = new MemoryStore({ now: () => now, sweepIntervalMs: 100 });
    for (let i = 0; i < 50; i++) await store.set(`k${i}`, "v", { ttlMs: 10 });
    await store.set("keep", "v");
    expect(store.size).toBe(51);

    now += 50; // all TTLs passed, but the sweep interval has not
    await store.set("other", "v");
    expect(store.size).toBe(52);

    now += 50; // interval reached: the next write sweeps
    await store.set("other", "v2");
    expect(store.size).toBe(2);
    expect(await store.list("")).toEqual([
      { key: "keep", value: "v" },
      { key: "other", value: "v2" },
    ]);
  });

  it("expires at exactly ttlMs on its clock", async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    await store.set("a", "1", { ttlMs: 10 });
    now = 9;
    expect(await store.get("a")).toBe("1");
    now = 10;
    expect(await store.get("a")).toBeUndefined();
    expect(await store.claim("a", "2")).toBe(true);
  });
});

describe("storeTtlMs", () => {
  it("rounds fractions up and rejects what is not a positive finite number", () => {
    expect(storeTtlMs(undefined)).toBeUndefined();
    expect(storeTtlMs({})).toBeUndefined();
    expect(storeTtlMs({ ttlMs: 1.2 })).toBe(2);
    for (const ttlMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "5" as unknown as number]) {
      let thrown: unknown;
      try {
        storeTtlMs({ ttlMs });
      } catch (error) {
        thrown = error;
      }
      expect(isX402Error(thrown, "invalid_store_ttl")).toBe(true);
    }
  });
});
