import { describe, expect, it } from "vitest";
import { type BaseSettlementRecord, SettlementLedger } from "../src/facilitator/index.js";
import { MemoryStore } from "../src/storage/index.js";

const options = { guardTtlMs: 60, recordTtlMs: 60_000, prefix: "test:" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SettlementLedger", () => {
  it("gives the guard of a key to one holder at a time, and renews it while held", async () => {
    const store = new MemoryStore();
    const ledger = new SettlementLedger<BaseSettlementRecord>(store, options);
    const other = new SettlementLedger<BaseSettlementRecord>(store, options);
    const guard = await ledger.claim("k");
    expect(guard).toBeDefined();
    expect(await other.claim("k")).toBeUndefined();
    await sleep(options.guardTtlMs * 3); // three TTLs: only renewal keeps it
    expect(await other.claim("k")).toBeUndefined();
    await guard?.release();
    const next = await other.claim("k");
    expect(next).toBeDefined();
    await next?.release();
  });

  it("frees the guard of a holder that stopped renewing (a crash) after its TTL", async () => {
    const store = new MemoryStore();
    await store.claim("test:inflight:k", "crashed-holder", { ttlMs: options.guardTtlMs });
    const ledger = new SettlementLedger<BaseSettlementRecord>(store, options);
    expect(await ledger.claim("k")).toBeUndefined();
    await sleep(options.guardTtlMs * 2);
    expect(await ledger.claim("k")).toBeDefined();
  });

  it("lists unanswered records as pending until their answer is written", async () => {
    const ledger = new SettlementLedger<BaseSettlementRecord & { payer: string }>(new MemoryStore(), options);
    await ledger.write("a", { digest: "d1", hash: "0x1", payer: "p" });
    await ledger.write("b", { digest: "d2", hash: "0x2", payer: "p" });
    expect((await ledger.listPending()).map((entry) => entry.key).sort()).toEqual(["a", "b"]);
    const answer = { success: true, transaction: "0x1", network: "test:1" } as const;
    await ledger.write("a", { digest: "d1", hash: "0x1", payer: "p", response: answer });
    expect((await ledger.listPending()).map((entry) => entry.key)).toEqual(["b"]);
    expect((await ledger.read("a"))?.response).toEqual(answer);
    await ledger.forget("b");
    expect(await ledger.read("b")).toBeUndefined();
    expect(await ledger.listPending()).toEqual([]);
  });

  it("reads a corrupt or foreign record as absent", async () => {
    const store = new MemoryStore();
    const ledger = new SettlementLedger<BaseSettlementRecord>(store, options);
    await store.set("test:settlement:x", "{not json");
    await store.set("test:settlement:y", JSON.stringify({ digest: 1, hash: "0x" }));
    await store.set("test:settlement:z", "null");
    for (const key of ["x", "y", "z"]) expect(await ledger.read(key)).toBeUndefined();
  });
});

describe("SettlementLedger guard renewal", () => {
  it("refuses writes under a guard whose renewal failed until past its TTL (nothing may be sent after)", async () => {
    const store = new MemoryStore();
    const ledger = new SettlementLedger<BaseSettlementRecord>(store, options);
    const guard = await ledger.claim("k");
    await ledger.write("k", { digest: "d", hash: "0x1" });
    // The store stops answering renewals (a partition): the lease may lapse and pass to another.
    const renew = store.compareAndSet.bind(store);
    store.compareAndSet = async () => {
      throw new Error("store unreachable");
    };
    await sleep(options.guardTtlMs * 1.5);
    expect(guard?.held()).toBe(false);
    await expect(ledger.write("k", { digest: "d", hash: "0x2" })).rejects.toMatchObject({
      code: "settle_guard_lost",
    });
    expect((await ledger.read("k"))?.hash).toBe("0x1");
    store.compareAndSet = renew;
    await guard?.release();
    await ledger.write("k", { digest: "d", hash: "0x3" }); // not under a guard any more
  });

  it("refuses writes once a renewal finds another holder", async () => {
    const store = new MemoryStore();
    const ledger = new SettlementLedger<BaseSettlementRecord>(store, options);
    const guard = await ledger.claim("k");
    await store.set("test:inflight:k", "someone-else", { ttlMs: 60_000 });
    await sleep(options.guardTtlMs / 2);
    expect(guard?.held()).toBe(false);
    await expect(ledger.write("k", { digest: "d", hash: "0x2" })).rejects.toMatchObject({
      code: "settle_guard_lost",
    });
    await guard?.release();
  });

  it("keeps a renewed guard held past several TTLs", async () => {
    const ledger = new SettlementLedger<BaseSettlementRecord>(new MemoryStore(), options);
    const guard = await ledger.claim("k");
    await sleep(options.guardTtlMs * 3);
    expect(guard?.held()).toBe(true);
    await ledger.write("k", { digest: "d", hash: "0x1" });
    await guard?.release();
  });
});
