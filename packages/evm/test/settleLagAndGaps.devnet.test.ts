import type { PaymentRequirements } from "@x402kit/core";
import { MemoryStore } from "@x402kit/core/storage";
import { type DevAccount, type Devnet, devnetPermit2Abi, startDevnet } from "@x402kit/devnet";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  authorizationSpent,
  ExactEvmScheme,
  type FacilitatorEvmSigner,
  SettlementLedger,
  SettlementReconciler,
  toFacilitatorEvmSigner,
} from "../src/exact/facilitator/index.js";
import { authorizationKey } from "../src/exact/payload.js";
import { ExactEvmReason as R } from "../src/index.js";
import { PERMIT2_ADDRESS, permit2NonceKey } from "../src/permit2/index.js";
import { signPayment } from "./helpers.js";

/**
 * Settlement when reads lie or sends vanish, on anvil: a lagging RPC that misses a mined
 * receipt, and a dropped transaction no settlement record holds (a sponsor funding, a wallet
 * deployment) stalling every later send of its key.
 */
let devnet: Devnet;
let requirements: PaymentRequirements;

beforeAll(async () => {
  devnet = await startDevnet();
  requirements = {
    scheme: "exact",
    network: devnet.network,
    amount: "1000",
    asset: devnet.usdc.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 600,
    extra: { name: devnet.usdc.name, version: devnet.usdc.version },
  };
});
afterAll(async () => {
  await devnet?.stop();
});
beforeEach(async () => {
  await devnet.testClient.setAutomine(true);
});

const payer = () => privateKeyToAccount(devnet.accounts.payer.privateKey);
const payToBalance = () => devnet.balanceOf(devnet.accounts.payTo.address);
const ttls = { guardTtlMs: 30_000, recordTtlMs: 3_600_000 };

function signerOf(account: DevAccount, journal?: MemoryStore): FacilitatorEvmSigner {
  return toFacilitatorEvmSigner(
    { walletClient: devnet.walletClient(account), publicClient: devnet.publicClient as never },
    journal ? { journal } : {},
  );
}

/**
 * TEST DOUBLE of a load-balanced RPC: nonce counts and calls come from an up-to-date node,
 * receipts and by-hash lookups from one a block behind that never saw the transaction.
 */
function laggingSignerDouble(real: FacilitatorEvmSigner): FacilitatorEvmSigner {
  return {
    ...real,
    getTransactionReceipt: async () => undefined,
    isTransactionKnown: async () => false,
    waitForTransactionReceipt: async () => {
      throw new Error("timed out waiting for the receipt (lagging node)");
    },
  };
}

describe("a lagging RPC that misses a mined settlement", () => {
  it("does not make the reconciler or a retried settle forget it: the authorization is spent on chain", async () => {
    const account = devnet.allAccounts[8] as DevAccount;
    const store = new MemoryStore();
    const real = signerOf(account);
    const scheme = new ExactEvmScheme(real, { store, receiptTimeoutMs: 200 });
    const payment = await signPayment(payer(), requirements);
    const before = await payToBalance();
    await devnet.testClient.setAutomine(false);
    const first = await scheme.settle(payment, requirements);
    expect(first.errorReason).toBe(R.SettlementPending);
    await devnet.testClient.mine({ blocks: 2 });
    const lagging = laggingSignerDouble(real);
    const reconciler = new SettlementReconciler(new SettlementLedger(store, ttls), lagging, {
      network: devnet.network,
      rebroadcastAfterMs: 0,
      goneConfirmMs: 0,
    });
    // Two runs: even seen "gone" twice, a spent authorization keeps its record.
    expect(await reconciler.reconcileOnce()).toMatchObject({ checked: 1, pending: 1, forgotten: 0 });
    expect(await reconciler.reconcileOnce()).toMatchObject({ checked: 1, pending: 1, forgotten: 0 });
    // A retried settle through the lagging node follows the recorded hash, sends nothing new.
    const nonce = await devnet.publicClient.getTransactionCount({ address: account.address });
    const lagged = new ExactEvmScheme(lagging, { store, receiptTimeoutMs: 200 });
    for (let i = 0; i < 2; i++) {
      const retried = await lagged.settle(payment, requirements);
      expect(retried).toMatchObject({ success: false, errorReason: R.SettlementPending });
      expect(retried.transaction).toBe(first.transaction);
    }
    await devnet.testClient.setAutomine(true);
    // Once a node answers the receipt, the payment is answered with its one transaction.
    expect(await scheme.settle(payment, requirements)).toMatchObject({
      success: true,
      transaction: first.transaction,
    });
    expect(await devnet.publicClient.getTransactionCount({ address: account.address })).toBe(nonce);
    expect((await payToBalance()) - before).toBe(1000n);
  });
});

describe("a lagging RPC during a retried settle", () => {
  it("does not make the retry forget the mined settlement and settle afresh", async () => {
    const account = devnet.allAccounts[3] as DevAccount;
    const store = new MemoryStore();
    const real = signerOf(account);
    const payment = await signPayment(payer(), requirements);
    const before = await payToBalance();
    await devnet.testClient.setAutomine(false);
    const first = await new ExactEvmScheme(real, { store, receiptTimeoutMs: 200 }).settle(
      payment,
      requirements,
    );
    expect(first.errorReason).toBe(R.SettlementPending);
    await devnet.testClient.mine({ blocks: 2 });
    await devnet.testClient.setAutomine(true);
    const lagged = new ExactEvmScheme(laggingSignerDouble(real), { store, receiptTimeoutMs: 200 });
    for (let i = 0; i < 2; i++) await lagged.settle(payment, requirements);
    const answer = await new ExactEvmScheme(real, { store, receiptTimeoutMs: 2_000 }).settle(
      payment,
      requirements,
    );
    expect(answer).toMatchObject({ success: true, transaction: first.transaction });
    expect((await payToBalance()) - before).toBe(1000n);
  });
});

describe("a dropped send no settlement record holds", () => {
  it("does not stall its key: the journaled bytes fill the nonce gap and later settlements land", async () => {
    const account = devnet.allAccounts[9] as DevAccount;
    const store = new MemoryStore();
    const signer = signerOf(account, store);
    const scheme = new ExactEvmScheme(signer, { store, receiptTimeoutMs: 300 });
    const reconciler = new SettlementReconciler(new SettlementLedger(store, ttls), signer, {
      network: devnet.network,
      rebroadcastAfterMs: 0,
    });
    const before = await payToBalance();
    await devnet.testClient.setAutomine(false);
    // An unrecorded send through the same signer (as the sponsor funder or a wallet deploy does).
    const side = await signer.sendTransaction({ to: devnet.accounts.payTo.address, data: "0x", value: 1n });
    await devnet.testClient.dropTransaction({ hash: side });
    const payments = await Promise.all([0, 1, 2].map(() => signPayment(payer(), requirements)));
    for (const payment of payments)
      expect((await scheme.settle(payment, requirements)).errorReason).toBe(R.SettlementPending);
    await devnet.testClient.mine({ blocks: 1 });
    await reconciler.reconcileOnce();
    await devnet.testClient.mine({ blocks: 1 });
    await reconciler.reconcileOnce();
    await devnet.testClient.setAutomine(true);
    const answers = await Promise.all(payments.map((payment) => scheme.settle(payment, requirements)));
    expect(answers.map((answer) => answer.success)).toEqual([true, true, true]);
    expect((await payToBalance()) - before).toBe(3000n);
    // And the key goes on.
    expect((await scheme.settle(await signPayment(payer(), requirements), requirements)).success).toBe(true);
  });
});

describe("a dropped send no settlement record holds, found after a restart", () => {
  it("is filled from the journal by the new process's reconciler, up to the recorded nonces", async () => {
    const account = devnet.allAccounts[4] as DevAccount;
    const store = new MemoryStore();
    const before = await payToBalance();
    await devnet.testClient.setAutomine(false);
    // TEST DOUBLE of a facilitator that stops before its receipt waits end (then restarts).
    const first = signerOf(account, store);
    const crashing: FacilitatorEvmSigner = {
      ...first,
      waitForTransactionReceipt: async () => {
        throw new Error("the process stopped here");
      },
    };
    const side = await first.sendTransaction({ to: devnet.accounts.payTo.address, data: "0x", value: 1n });
    await devnet.testClient.dropTransaction({ hash: side });
    const scheme = new ExactEvmScheme(crashing, { store, receiptTimeoutMs: 300 });
    const payments = await Promise.all([0, 1, 2].map(() => signPayment(payer(), requirements)));
    for (const payment of payments)
      expect((await scheme.settle(payment, requirements)).errorReason).toBe(R.SettlementPending);
    await devnet.testClient.mine({ blocks: 1 });
    // The restarted process: a new signer (no local nonce state) over the same store.
    const restarted = signerOf(account, store);
    const reconciler = new SettlementReconciler(new SettlementLedger(store, ttls), restarted, {
      network: devnet.network,
      rebroadcastAfterMs: 60_000,
    });
    expect((await reconciler.reconcileOnce()).repaired).toBeGreaterThanOrEqual(1);
    await devnet.testClient.mine({ blocks: 1 });
    expect(await reconciler.reconcileOnce()).toMatchObject({ settled: 3 });
    await devnet.testClient.setAutomine(true);
    const again = new ExactEvmScheme(restarted, { store, receiptTimeoutMs: 2_000 });
    const answers = await Promise.all(payments.map((payment) => again.settle(payment, requirements)));
    expect(answers.map((answer) => answer.success)).toEqual([true, true, true]);
    expect((await payToBalance()) - before).toBe(3000n);
  });
});

describe("authorizationSpent", () => {
  it("reads an EIP-3009 authorization's state on the token, by ledger key", async () => {
    const signer = signerOf(devnet.accounts.facilitator);
    const payment = await signPayment(payer(), requirements);
    const { from, nonce } = (payment.payload as { authorization: { from: string; nonce: string } })
      .authorization;
    const key = authorizationKey(devnet.network, devnet.usdc.address, from, nonce);
    expect(await authorizationSpent(signer, key)).toBe(false);
    const scheme = new ExactEvmScheme(signer, { store: new MemoryStore() });
    expect((await scheme.settle(payment, requirements)).success).toBe(true);
    expect(await authorizationSpent(signer, key)).toBe(true);
    expect(await authorizationSpent(signer, "not:a:key")).toBeUndefined();
  });

  it("reads a Permit2 nonce's bit in nonceBitmap, by ledger key", async () => {
    const signer = signerOf(devnet.accounts.facilitator);
    const owner = devnet.accounts.other;
    const nonce = (5n << 8n) + 77n; // word 5, bit 77
    const key = permit2NonceKey(devnet.network, owner.address, nonce.toString());
    expect(await authorizationSpent(signer, key)).toBe(false);
    await devnet.walletClient(owner).writeContract({
      address: PERMIT2_ADDRESS,
      abi: devnetPermit2Abi,
      functionName: "invalidateUnorderedNonces",
      args: [5n, 1n << 77n],
    } as never);
    expect(await authorizationSpent(signer, key)).toBe(true);
    const neighbour = permit2NonceKey(devnet.network, owner.address, (nonce + 1n).toString());
    expect(await authorizationSpent(signer, neighbour)).toBe(false);
  });
});
