import { InMemoryPendingSettlementStore, PENDING_SETTLEMENT_TTL_MS } from "@x402kit/core/facilitator";
import { MemoryStore } from "@x402kit/core/storage";
import { describe, expect, it } from "vitest";

describe("InMemoryPendingSettlementStore", () => {
  it("remembers, overwrites and forgets a pending transaction hash", async () => {
    const pending = new InMemoryPendingSettlementStore();
    expect(await pending.get("pay-1")).toBeUndefined();
    await pending.set("pay-1", "0xaaa");
    await pending.set("pay-1", "0xbbb");
    expect(await pending.get("pay-1")).toBe("0xbbb");
    await pending.delete("pay-1");
    expect(await pending.get("pay-1")).toBeUndefined();
    expect(PENDING_SETTLEMENT_TTL_MS).toBe(300_000);
  });

  it("expires entries after its TTL and shares a store with another instance", async () => {
    let now = 1_000;
    const store = new MemoryStore({ now: () => now });
    const a = new InMemoryPendingSettlementStore({ store, ttlMs: 50 });
    const b = new InMemoryPendingSettlementStore({ store, ttlMs: 50 });
    await a.set("pay-2", "0xccc");
    expect(await b.get("pay-2")).toBe("0xccc");
    now += 51;
    expect(await b.get("pay-2")).toBeUndefined();
  });
});
