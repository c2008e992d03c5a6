import { MemoryStore } from "@x402kit/core/storage";
import { describe, expect, it } from "vitest";
import {
  type FacilitatorEvmSigner,
  SettlementLedger,
  SIGNER_BUSY,
  SignerBusyError,
  settleRecorded,
} from "../src/exact/facilitator/index.js";

const call = {
  to: "0x2000000000000000000000000000000000000002" as const,
  data: "0x" as const,
  payer: "0x3000000000000000000000000000000000000003",
  transfers: [],
};

/**
 * TEST DOUBLE of a local signer: signs (calls onSigned), then "broadcasts" by counting, or
 * refuses before signing with `refuse`.
 */
function countingSignerDouble(refuse?: () => Error) {
  const state = { broadcasts: 0 };
  const signer: FacilitatorEvmSigner = {
    address: "0x1000000000000000000000000000000000000001",
    chainId: 31337,
    getCode: async () => undefined,
    call: async () => ({ ok: true, data: "0x" }),
    async sendTransaction(_request, hooks) {
      if (refuse) throw refuse();
      const hash = `0x${"ab".repeat(32)}` as const;
      await hooks?.onSigned?.({ hash, from: this.address, nonce: 0, serialized: "0x02" });
      state.broadcasts++;
      return hash;
    },
    waitForTransactionReceipt: async () => ({ status: "success", logs: [] }),
  };
  return { signer, state };
}

describe("settleRecorded refusals before anything is sent", () => {
  it("answers settle_evm_signer_busy when the account's queue was too long, and records nothing", async () => {
    const ledger = new SettlementLedger(new MemoryStore(), { guardTtlMs: 60_000, recordTtlMs: 60_000 });
    const { signer, state } = countingSignerDouble(() => new SignerBusyError(20_000));
    const answer = await settleRecorded(call, {
      signer,
      network: "eip155:31337",
      receiptTimeoutMs: 1_000,
      ledger,
      key: "k",
      digest: "d",
    });
    expect(answer).toMatchObject({ success: false, errorReason: SIGNER_BUSY });
    expect(state.broadcasts).toBe(0);
    expect(await ledger.read("k")).toBeUndefined();
  });

  it("sends nothing once the settle's guard could not be renewed (settle_guard_lost)", async () => {
    const store = new MemoryStore();
    const ledger = new SettlementLedger(store, { guardTtlMs: 30, recordTtlMs: 60_000 });
    const guard = await ledger.claim("k");
    // TEST DOUBLE store outage: renewals fail until the lease lapses.
    store.compareAndSet = async () => {
      throw new Error("store unreachable");
    };
    await new Promise((resolve) => setTimeout(resolve, 45));
    const { signer, state } = countingSignerDouble();
    const answer = await settleRecorded(call, {
      signer,
      network: "eip155:31337",
      receiptTimeoutMs: 1_000,
      ledger,
      key: "k",
      digest: "d",
    });
    expect(answer).toMatchObject({ success: false, errorReason: "settle_guard_lost" });
    expect(state.broadcasts).toBe(0);
    expect(guard?.held()).toBe(false);
    await guard?.release().catch(() => undefined);
  });
});
