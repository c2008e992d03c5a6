import { MemoryStore } from "@x402kit/core/storage";
import { expect, it } from "vitest";
import {
  type FacilitatorEvmSigner,
  SettlementLedger,
  SettlementReconciler,
} from "../src/exact/facilitator/index.js";

/** TEST DOUBLE of a slow node: every receipt lookup takes 50 ms; every transaction is still in its mempool. */
function slowNodeSignerDouble(): FacilitatorEvmSigner & { lookups: number } {
  const signer = {
    lookups: 0,
    address: "0x1000000000000000000000000000000000000001" as const,
    chainId: 31337,
    getCode: async () => undefined,
    call: async () => ({ ok: true as const, data: "0x" as const }),
    sendTransaction: async () => {
      throw new Error("not used");
    },
    waitForTransactionReceipt: async () => {
      throw new Error("not used");
    },
    getTransactionReceipt: async () => {
      signer.lookups++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return undefined;
    },
    isTransactionKnown: async () => true,
  };
  return signer;
}

it("stop() ends a run in progress after the record it is on, not after the whole run", async () => {
  const store = new MemoryStore();
  const ledger = new SettlementLedger(store, { guardTtlMs: 30_000, recordTtlMs: 3_600_000 });
  for (let i = 0; i < 20; i++)
    await ledger.write(`eip155:31337:k${i}`, { digest: `d${i}`, hash: `0x${i}`, network: "eip155:31337" });
  const signer = slowNodeSignerDouble();
  const reconciler = new SettlementReconciler(ledger, signer, { network: "eip155:31337", intervalMs: 1 });
  reconciler.start();
  await new Promise((resolve) => setTimeout(resolve, 120)); // two or three records into the run
  const stoppedAt = Date.now();
  await reconciler.stop();
  expect(Date.now() - stoppedAt).toBeLessThan(200); // the whole run would take 1 s
  expect(signer.lookups).toBeLessThan(10);
});
