import { MemoryStore } from "@x402kit/core/storage";
import { type SolanaDevnet, startSolanaDevnet } from "@x402kit/devnet/solana";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ExactSvmScheme as FacilitatorScheme,
  type FacilitatorSvmSigner,
  SettlementCache,
  toFacilitatorSvmSigner,
} from "../src/exact/facilitator/index.js";
import { ExactSvmReason as R } from "../src/reasons.js";
import { balancesOf, clientPayment, PRICE, requirementsOn } from "./support/devnetPayments.js";
import { startRpcProxy } from "./support/rpcProxy.js";

let devnet: SolanaDevnet;
let proxy: Awaited<ReturnType<typeof startRpcProxy>>;
beforeAll(async () => {
  devnet = await startSolanaDevnet();
  proxy = await startRpcProxy(devnet.rpcUrl);
});
afterAll(async () => {
  await proxy?.close();
  await devnet?.stop();
});

const SIGNATURE = /^[1-9A-HJ-NP-Za-km-z]{64,88}$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const realSigner = (rpcUrl = devnet.rpcUrl) =>
  toFacilitatorSvmSigner(devnet.accounts.facilitator.signer, { defaultRpcUrl: rpcUrl });

describe("a send whose answer is lost", () => {
  it("follows the signature recorded before sending: success, charged once, a retry is a duplicate", async () => {
    const scheme = new FacilitatorScheme(realSigner(proxy.url));
    const req = requirementsOn(devnet);
    const payment = await clientPayment(devnet, req);
    const before = await balancesOf(devnet);
    proxy.next("drop-answer");
    const settled = await scheme.settle(payment, req);
    expect(settled).toMatchObject({ success: true, payer: devnet.accounts.payer.address });
    expect(settled.transaction).toMatch(SIGNATURE);
    expect(await scheme.settle(payment, req)).toMatchObject({
      success: false,
      errorReason: R.DuplicateSettlement,
    });
    expect(before.payer - (await balancesOf(devnet)).payer).toBe(PRICE);
  });

  it("a JSON-RPC refusal of the send frees the transaction: the retry settles it", async () => {
    const scheme = new FacilitatorScheme(realSigner(proxy.url));
    const req = requirementsOn(devnet);
    const payment = await clientPayment(devnet, req);
    const before = await balancesOf(devnet);
    proxy.next("reject");
    expect(await scheme.settle(payment, req)).toMatchObject({
      success: false,
      errorReason: R.TransactionFailed,
    });
    expect((await balancesOf(devnet)).payer).toBe(before.payer);
    expect(await scheme.settle(payment, req)).toMatchObject({ success: true });
    expect(before.payer - (await balancesOf(devnet)).payer).toBe(PRICE);
  });
});

describe("a settler that stops answering", () => {
  it("after a crash following the send, a retry on an instance sharing the store follows the same signature", async () => {
    const store = new MemoryStore();
    const real = realSigner();
    let sent: string | undefined;
    // Test double: the process dies right after the node took the transaction (no answer ever).
    const crashing: FacilitatorSvmSigner = {
      ...real,
      sendTransaction: async (tx, network) => {
        sent = await real.sendTransaction(tx, network);
        return new Promise<string>(() => {});
      },
    };
    const req = requirementsOn(devnet);
    const payment = await clientPayment(devnet, req);
    const before = await balancesOf(devnet);
    void new FacilitatorScheme(crashing, new SettlementCache(store, { ttlMs: 1_000 })).settle(payment, req);
    const other = new FacilitatorScheme(real, new SettlementCache(store, { ttlMs: 1_000 }));
    while (!sent) await sleep(20);
    // Within the dead settler's hold a copy is refused; after it, one retry follows the broadcast.
    expect(await other.settle(payment, req)).toMatchObject({ errorReason: R.DuplicateSettlement });
    await sleep(1_200);
    expect(await other.settle(payment, req)).toMatchObject({
      success: true,
      transaction: sent,
      payer: devnet.accounts.payer.address,
    });
    expect(before.payer - (await balancesOf(devnet)).payer).toBe(PRICE);
  });

  it("a confirmation that never answers ends in settlement_pending within the hold", async () => {
    const real = realSigner();
    // Test double: an RPC whose status calls hang.
    const hanging: FacilitatorSvmSigner = { ...real, confirmTransaction: () => new Promise<void>(() => {}) };
    const scheme = new FacilitatorScheme(hanging, new SettlementCache(new MemoryStore(), { ttlMs: 1_000 }));
    const req = requirementsOn(devnet);
    const started = Date.now();
    const settled = await scheme.settle(await clientPayment(devnet, req), req);
    expect(settled).toMatchObject({ success: false, errorReason: R.SettlementPending });
    expect(settled.transaction).toMatch(SIGNATURE);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("a claim that expired before sending sends nothing: one success when a copy settled meanwhile", async () => {
    const real = realSigner();
    let slowSignatures = 1;
    // Test double: the first co-signature takes longer than the claim lasts (a stalled signer).
    const stalling: FacilitatorSvmSigner = {
      ...real,
      signTransaction: async (tx, feePayer, network) => {
        if (slowSignatures-- > 0) await sleep(1_500);
        return real.signTransaction(tx, feePayer, network);
      },
    };
    const scheme = new FacilitatorScheme(stalling, new SettlementCache(new MemoryStore(), { ttlMs: 1_000 }));
    const req = requirementsOn(devnet);
    const payment = await clientPayment(devnet, req);
    const before = await balancesOf(devnet);
    const first = scheme.settle(payment, req);
    await sleep(1_100);
    const results = await Promise.all([first, scheme.settle(payment, req)]);
    expect(results.filter((r) => r.success)).toHaveLength(1);
    expect(results[0]).toMatchObject({ success: false, errorReason: R.TransactionFailed });
    expect(before.payer - (await balancesOf(devnet)).payer).toBe(PRICE);
  });
});

describe("a retry of a pending settlement", () => {
  it("for other requirements is refused; for the same ones it succeeds, with the payer", async () => {
    const real = realSigner();
    let slowConfirmations = 1;
    // Test double: the first confirmation wait times out.
    const flaky: FacilitatorSvmSigner = {
      ...real,
      confirmTransaction: async (signature, network) => {
        if (slowConfirmations-- > 0) throw new Error("not confirmed after 30000 ms");
        return real.confirmTransaction(signature, network);
      },
    };
    const scheme = new FacilitatorScheme(flaky);
    const req = requirementsOn(devnet);
    const payment = await clientPayment(devnet, req);
    const pending = await scheme.settle(payment, req);
    expect(pending).toMatchObject({ errorReason: R.SettlementPending });
    // The node says AlreadyProcessed to a simulation; verify still lets the retry reach settle.
    expect(await scheme.verify(payment, req)).toEqual({
      isValid: true,
      payer: devnet.accounts.payer.address,
    });
    for (const other of [
      requirementsOn(devnet, { amount: String(PRICE + 1n) }),
      requirementsOn(devnet, { payTo: devnet.accounts.other.address }),
    ])
      expect(await scheme.settle({ ...payment, accepted: other }, other)).toMatchObject({
        success: false,
        errorReason: R.DuplicateSettlement,
      });
    expect(await scheme.settle(payment, req)).toEqual({
      success: true,
      transaction: pending.transaction,
      network: devnet.network,
      payer: devnet.accounts.payer.address,
    });
  });
});
