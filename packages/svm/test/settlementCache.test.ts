import { MemoryStore } from "@x402kit/core/storage";
import { describe, expect, it } from "vitest";
import { SettlementCache } from "../src/exact/facilitator/index.js";

const broadcast = { signature: "sig-1", digest: "terms-1", payer: "payer-1" };

/** Two instances over one store with one hand-driven clock (epoch ms). */
function twoInstances() {
  let now = 1_000_000;
  const store = new MemoryStore({ now: () => now });
  const options = { ttlMs: 10_000, now: () => now };
  return {
    a: new SettlementCache(store, options),
    b: new SettlementCache(store, options),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("SettlementCache: one answer per transaction message", () => {
  it("a settler that outlived its hold cannot finalise once a retry took the broadcast over", async () => {
    const { a, b, advance } = twoInstances();
    const claim = await a.claim("m1");
    const sending = claim && (await a.markSending(claim, broadcast));
    expect(sending).toBeDefined();
    expect(await b.takeOver("m1", "terms-1")).toBeUndefined(); // the settler is still within its hold
    advance(10_001);
    const taken = await b.takeOver("m1", "terms-1");
    expect(taken).toMatchObject({ signature: "sig-1", payer: "payer-1" });
    expect(await a.finalise(sending!, "sig-1")).toBe(false);
    if (typeof taken !== "object") throw new Error("expected a takeover");
    expect(await b.finalise(taken.hold, "sig-1")).toBe(true);
    expect(await a.claim("m1")).toBeUndefined();
    expect(await a.takeOver("m1", "terms-1")).toBeUndefined();
  });

  it("a claim lost before sending cannot record a broadcast", async () => {
    const { a, b, advance } = twoInstances();
    const stale = await a.claim("m2");
    advance(10_001);
    expect(await b.claim("m2")).toBeDefined();
    expect(await a.markSending(stale!, broadcast)).toBeUndefined();
  });

  it("a pending broadcast is followed by one retry for the same terms only", async () => {
    const { a, b } = twoInstances();
    const sending = await a.markSending((await a.claim("m3"))!, broadcast);
    expect(await a.markPending(sending!)).toBe(true);
    expect(await b.takeOver("m3", "terms-2")).toBe("mismatch");
    const [first, second] = await Promise.all([b.takeOver("m3", "terms-1"), a.takeOver("m3", "terms-1")]);
    expect([first, second].filter((t) => typeof t === "object")).toHaveLength(1);
  });

  it("a settled message stays refused after the claim's TTL", async () => {
    const { a, advance } = twoInstances();
    const sending = await a.markSending((await a.claim("m4"))!, broadcast);
    expect(await a.finalise(sending!, "sig-1")).toBe(true);
    advance(600_000);
    expect(await a.claim("m4")).toBeUndefined();
  });
});
