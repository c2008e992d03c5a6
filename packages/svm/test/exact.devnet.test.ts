import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { MemoryStore } from "@x402kit/core/storage";
import { type SolanaDevnet, startSolanaDevnet } from "@x402kit/devnet/solana";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExactSvmScheme as ClientScheme } from "../src/exact/client/index.js";
import {
  ExactSvmScheme as FacilitatorScheme,
  SettlementCache,
  toFacilitatorSvmSigner,
} from "../src/exact/facilitator/index.js";
import { ExactSvmReason as R } from "../src/reasons.js";
import { craftTransfer, systemTransfer } from "./support/craftTransfer.js";

let devnet: SolanaDevnet;
let facilitator: FacilitatorScheme;
let client: ClientScheme;
const PRICE = 10_000n;

beforeAll(async () => {
  devnet = await startSolanaDevnet();
  facilitator = new FacilitatorScheme(
    toFacilitatorSvmSigner(devnet.accounts.facilitator.signer, { defaultRpcUrl: devnet.rpcUrl }),
  );
  client = new ClientScheme(devnet.accounts.payer.signer, { rpcUrl: devnet.rpcUrl });
});
afterAll(async () => {
  await devnet?.stop();
});

function requirements(overrides: Partial<PaymentRequirements> = {}): PaymentRequirements {
  return {
    scheme: "exact",
    network: devnet.network,
    amount: String(PRICE),
    asset: devnet.usdc.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 60,
    extra: { feePayer: devnet.accounts.facilitator.address },
    ...overrides,
  };
}

function payloadOf(transaction: string, accepted = requirements()): PaymentPayload {
  return { x402Version: 2, accepted, payload: { transaction } } as PaymentPayload;
}

async function ourPayment(req = requirements()): Promise<PaymentPayload> {
  const result = await client.createPaymentPayload(2, req);
  return { x402Version: 2, accepted: req, payload: result.payload } as PaymentPayload;
}

async function balances(mint = devnet.usdc) {
  const { payer, payTo, facilitator: feePayer } = devnet.accounts;
  return {
    payer: await devnet.tokenBalance(payer.address, mint),
    payTo: await devnet.tokenBalance(payTo.address, mint),
    feePayerTokens: await devnet.tokenBalance(feePayer.address, mint),
    feePayerLamports: devnet.lamports(feePayer.address),
  };
}

describe("SVM exact on the litesvm-backed devnet: our client → our facilitator", () => {
  it("verifies and settles an SPL Token payment: payer −price, payTo +price, fee payer pays only the fee", async () => {
    const payment = await ourPayment();
    expect(await facilitator.verify(payment, requirements())).toEqual({
      isValid: true,
      payer: devnet.accounts.payer.address,
    });
    const before = await balances();
    const settled = await facilitator.settle(payment, requirements());
    expect(settled).toMatchObject({
      success: true,
      network: devnet.network,
      payer: devnet.accounts.payer.address,
    });
    expect(settled.transaction).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
    const after = await balances();
    expect(before.payer - after.payer).toBe(PRICE);
    expect(after.payTo - before.payTo).toBe(PRICE);
    expect(after.feePayerTokens).toBe(before.feePayerTokens);
    // Base fee of two signatures + 20,000 CU × 1 µlamport (rounded up to 1 lamport).
    expect(before.feePayerLamports - after.feePayerLamports).toBe(10_001n);
  });

  it("pays a Token-2022 mint through the same scheme", async () => {
    const req = requirements({ asset: devnet.usdc2022.address });
    const before = await balances(devnet.usdc2022);
    const settled = await facilitator.settle(await ourPayment(req), req);
    expect(settled.success).toBe(true);
    const after = await balances(devnet.usdc2022);
    expect(before.payer - after.payer).toBe(PRICE);
    expect(after.payTo - before.payTo).toBe(PRICE);
  });

  it("checks extra.memo when the server sets one", async () => {
    const req = requirements({ extra: { feePayer: devnet.accounts.facilitator.address, memo: "order-42" } });
    const payment = await ourPayment(req);
    expect((await facilitator.verify(payment, req)).isValid).toBe(true);
    const other = requirements({
      extra: { feePayer: devnet.accounts.facilitator.address, memo: "order-43" },
    });
    expect(
      await facilitator.verify(payloadOf(String(payment.payload.transaction), other), other),
    ).toMatchObject({
      invalidReason: R.MemoMismatch,
    });
  });
});

describe("attacks, each refused with the official reason (and no money moves)", () => {
  async function refused(transaction: string, reason: string, req = requirements()) {
    const before = await balances();
    const verified = await facilitator.verify(payloadOf(transaction, req), req);
    expect(verified).toMatchObject({ isValid: false, invalidReason: reason });
    const settled = await facilitator.settle(payloadOf(transaction, req), req);
    expect(settled).toMatchObject({ success: false, errorReason: reason, transaction: "" });
    expect(await balances()).toEqual(before);
  }
  const base = () => ({
    payer: devnet.accounts.payer.signer,
    feePayer: devnet.accounts.facilitator.address,
    payTo: devnet.accounts.payTo.address,
    amount: PRICE,
  });

  it("the fee payer as the transfer authority", async () => {
    const tx = await craftTransfer(devnet, {
      ...base(),
      source: await devnet.tokenAccount(devnet.accounts.facilitator.address),
      authorityAddress: devnet.accounts.facilitator.address,
    });
    await refused(tx, R.FeePayerTransferringFunds);
  });

  it("the fee payer's token account as the transfer source", async () => {
    const tx = await craftTransfer(devnet, {
      ...base(),
      source: await devnet.tokenAccount(devnet.accounts.facilitator.address),
    });
    await refused(tx, R.FeePayerTransferringFunds);
  });

  it("an extra instruction (a lamport transfer)", async () => {
    const tx = await craftTransfer(devnet, {
      ...base(),
      extraInstructions: [systemTransfer(devnet.accounts.payer.signer, devnet.accounts.other.address, 1n)],
    });
    await refused(tx, R.UnknownFifthInstruction);
  });

  it("a compute-unit price above the cap", async () => {
    const tx = await craftTransfer(devnet, { ...base(), computeUnitPrice: 5_000_001n });
    await refused(tx, R.ComputePriceTooHigh);
  });

  it("the wrong mint", async () => {
    const tx = await craftTransfer(devnet, { ...base(), mint: devnet.usdc2022 });
    await refused(tx, R.MintMismatch);
  });

  it("a destination that is not payTo's associated token account", async () => {
    const tx = await craftTransfer(devnet, {
      ...base(),
      destination: await devnet.tokenAccount(devnet.accounts.other.address),
    });
    await refused(tx, R.RecipientMismatch);
  });

  it("an amount off by one, either way", async () => {
    await refused(await craftTransfer(devnet, { ...base(), amount: PRICE + 1n }), R.AmountMismatch);
    await refused(await craftTransfer(devnet, { ...base(), amount: PRICE - 1n }), R.AmountMismatch);
  });

  it("an expired blockhash", async () => {
    const payment = await ourPayment();
    devnet.expireBlockhash();
    await refused(String(payment.payload.transaction), R.SimulationFailed);
  });

  it("a missing client signature", async () => {
    const bytes = Buffer.from(String((await ourPayment()).payload.transaction), "base64");
    bytes.fill(0, 1 + 64, 1 + 128); // signature slot 1: the payer's
    await refused(bytes.toString("base64"), R.SignatureInvalid);
  });

  it("a fee payer that is not the facilitator's", async () => {
    const req = requirements({ extra: { feePayer: devnet.accounts.other.address } });
    const tx = await craftTransfer(devnet, { ...base(), feePayer: devnet.accounts.other.address });
    await refused(tx, R.FeePayerNotManaged, req);
  });
});

describe("one settlement per transaction", () => {
  it("refuses the same transaction replayed sequentially", async () => {
    const payment = await ourPayment();
    const before = await balances();
    expect((await facilitator.settle(payment, requirements())).success).toBe(true);
    expect(await facilitator.settle(payment, requirements())).toMatchObject({
      success: false,
      errorReason: R.DuplicateSettlement,
    });
    expect(before.payer - (await balances()).payer).toBe(PRICE);
  });

  it("settles 20 concurrent copies once", async () => {
    const payment = await ourPayment();
    const before = await balances();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => facilitator.settle(payment, requirements())),
    );
    expect(results.filter((r) => r.success)).toHaveLength(1);
    expect(results.filter((r) => r.errorReason === R.DuplicateSettlement)).toHaveLength(19);
    const after = await balances();
    expect(before.payer - after.payer).toBe(PRICE);
    expect(after.payTo - before.payTo).toBe(PRICE);
  });

  it("settles once across two facilitator instances sharing a store, even with the fee-payer slot altered", async () => {
    const store = new MemoryStore();
    const signer = toFacilitatorSvmSigner(devnet.accounts.facilitator.signer, {
      defaultRpcUrl: devnet.rpcUrl,
    });
    const [a, b] = [
      new FacilitatorScheme(signer, new SettlementCache(store)),
      new FacilitatorScheme(signer, { store }),
    ];
    const payment = await ourPayment();
    const tampered = Buffer.from(String(payment.payload.transaction), "base64");
    tampered.fill(7, 1, 65); // slot 0 (the fee payer's, unsigned) is attacker-mutable; the message is not
    const copy = payloadOf(tampered.toString("base64"));
    const before = await balances();
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => a.settle(payment, requirements())),
      ...Array.from({ length: 5 }, () => b.settle(copy, requirements())),
    ]);
    expect(results.filter((r) => r.success)).toHaveLength(1);
    // Every other copy is refused by the shared guard itself, not by the chain (a node answers a
    // copy's signature without preflight, so only the guard keeps a second success away).
    expect(results.filter((r) => r.errorReason === R.DuplicateSettlement)).toHaveLength(9);
    expect(before.payer - (await balances()).payer).toBe(PRICE);
  });
});

describe("a settlement whose confirmation timed out", () => {
  it("answers settlement_pending, refuses copies, and lets one retry follow the same signature", async () => {
    const real = toFacilitatorSvmSigner(devnet.accounts.facilitator.signer, { defaultRpcUrl: devnet.rpcUrl });
    let slowConfirmations = 1;
    // Test double: the first confirmation wait times out, as on a congested cluster.
    const flakyConfirm = {
      ...real,
      confirmTransaction: async (signature: string, network: string) => {
        if (slowConfirmations-- > 0) throw new Error("not confirmed after 30000 ms");
        return real.confirmTransaction(signature, network);
      },
    };
    let sends = 0;
    const countingSend = {
      ...flakyConfirm,
      sendTransaction: (tx: string, network: string) => {
        sends++;
        return real.sendTransaction(tx, network);
      },
    };
    const scheme = new FacilitatorScheme(countingSend);
    const payment = await ourPayment();
    const before = await balances();
    const pending = await scheme.settle(payment, requirements());
    expect(pending).toMatchObject({ success: false, errorReason: R.SettlementPending });
    expect(pending.transaction).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
    const retries = await Promise.all([
      scheme.settle(payment, requirements()),
      scheme.settle(payment, requirements()),
    ]);
    expect(retries.filter((r) => r.success)).toEqual([
      expect.objectContaining({ transaction: pending.transaction }),
    ]);
    expect(retries.filter((r) => r.errorReason === R.DuplicateSettlement)).toHaveLength(1);
    expect(await scheme.settle(payment, requirements())).toMatchObject({
      errorReason: R.DuplicateSettlement,
    });
    expect(sends).toBe(1);
    expect(before.payer - (await balances()).payer).toBe(PRICE);
  });
});
