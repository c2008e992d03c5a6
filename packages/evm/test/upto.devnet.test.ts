import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { toFacilitatorEvmSigner } from "@x402kit/evm";
import { combineFacilitatorEvmSigners } from "@x402kit/evm/exact/facilitator";
import { UptoEvmScheme as UptoClient } from "@x402kit/evm/upto/client";
import { UptoEvmScheme as UptoFacilitator } from "@x402kit/evm/upto/facilitator";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MAX = 10_000n;
let devnet: Devnet;
let facilitator: UptoFacilitator;

beforeAll(async () => {
  devnet = await startDevnet();
  await devnet.approvePermit2(devnet.accounts.payer, devnet.usdc.address);
  facilitator = new UptoFacilitator({ walletClient: devnet.walletClient(devnet.accounts.facilitator) });
}, 60_000);
afterAll(() => devnet?.stop());

function requirements(overrides: Partial<PaymentRequirements> = {}): PaymentRequirements {
  return {
    scheme: "upto",
    network: devnet.network,
    amount: MAX.toString(),
    asset: devnet.usdc.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 120,
    extra: { assetTransferMethod: "permit2", facilitatorAddress: devnet.accounts.facilitator.address },
    ...overrides,
  };
}

async function pay(req = requirements()): Promise<PaymentPayload> {
  const client = new UptoClient(privateKeyToAccount(devnet.accounts.payer.privateKey));
  const { payload } = await client.createPaymentPayload(2, req);
  return { x402Version: 2, accepted: req, payload };
}

async function balances() {
  return {
    payer: await devnet.balanceOf(devnet.accounts.payer.address),
    payTo: await devnet.balanceOf(devnet.accounts.payTo.address),
  };
}

const charge = (amount: bigint) => requirements({ amount: amount.toString() });

describe("upto on anvil (Permit2 + x402UptoPermit2Proxy)", () => {
  it("verifies the maximum and settles less than it: exactly the charge moves", async () => {
    const payload = await pay();
    expect(await facilitator.verify(payload, requirements())).toMatchObject({ isValid: true });
    const before = await balances();
    const settled = await facilitator.settle(payload, charge(4_321n));
    expect(settled).toMatchObject({ success: true, amount: "4321", network: devnet.network });
    expect(settled.transaction).toMatch(/^0x[0-9a-f]{64}$/);
    const after = await balances();
    expect(before.payer - after.payer).toBe(4_321n);
    expect(after.payTo - before.payTo).toBe(4_321n);
  });

  it("settles the whole maximum; a replay settles nothing more", async () => {
    const payload = await pay();
    const before = await balances();
    expect(await facilitator.settle(payload, charge(MAX))).toMatchObject({ success: true, amount: "10000" });
    const once = await balances();
    expect(before.payer - once.payer).toBe(MAX);
    const replay = await facilitator.settle(payload, charge(MAX));
    expect(replay).toMatchObject({ success: false, errorReason: "duplicate_settlement" });
    const other = await facilitator.settle(payload, charge(1n));
    expect(other.success).toBe(false);
    expect(await balances()).toEqual(once);
  });

  it("refuses a charge above the maximum before any transaction", async () => {
    const payload = await pay();
    const before = await balances();
    expect(await facilitator.settle(payload, charge(MAX + 1n))).toMatchObject({
      success: false,
      errorReason: "invalid_upto_evm_payload_settlement_exceeds_amount",
      transaction: "",
    });
    expect(await balances()).toEqual(before);
  });

  it("a zero charge sends no transaction and answers success with amount 0", async () => {
    const payload = await pay();
    const before = await balances();
    const block = await devnet.publicClient.getBlockNumber({ cacheTime: 0 });
    expect(await facilitator.settle(payload, charge(0n))).toEqual({
      success: true,
      transaction: "",
      network: devnet.network,
      payer: devnet.accounts.payer.address,
      amount: "0",
    });
    expect(await devnet.publicClient.getBlockNumber({ cacheTime: 0 })).toBe(block);
    expect(await balances()).toEqual(before);
  });

  it("refuses a wrong signature, recipient, token, facilitator and an expired permit with the official reasons", async () => {
    const good = await pay();
    const inner = good.payload as { signature: string; permit2Authorization: Record<string, unknown> };
    const forged = { ...good, payload: { ...inner, signature: `0x${"11".repeat(65)}` } };
    expect(await facilitator.verify(forged, requirements())).toMatchObject({
      isValid: false,
      invalidReason: "invalid_permit2_signature",
    });
    const elsewhere = requirements({ payTo: devnet.accounts.other.address });
    expect(await facilitator.verify({ ...good, accepted: elsewhere }, elsewhere)).toMatchObject({
      invalidReason: "invalid_permit2_recipient_mismatch",
    });
    const token = requirements({ asset: devnet.contracts.multicall3 });
    expect(await facilitator.verify({ ...good, accepted: token }, token)).toMatchObject({
      invalidReason: "permit2_token_mismatch",
    });
    const stranger = requirements({ extra: { facilitatorAddress: devnet.accounts.other.address } });
    expect(await facilitator.verify(await pay(stranger), stranger)).toMatchObject({
      invalidReason: "upto_facilitator_mismatch",
    });
    // The official order: the facilitator is checked before the deadline.
    const strangerExpired = requirements({
      maxTimeoutSeconds: 3,
      extra: { facilitatorAddress: devnet.accounts.other.address },
    });
    expect(await facilitator.verify(await pay(strangerExpired), strangerExpired)).toMatchObject({
      invalidReason: "upto_facilitator_mismatch",
    });
    const expired = await pay(requirements({ maxTimeoutSeconds: 3 }));
    expect(await facilitator.verify(expired, requirements())).toMatchObject({
      invalidReason: "permit2_deadline_expired",
    });
    expect(await facilitator.settle(forged, charge(1n))).toMatchObject({
      success: false,
      errorReason: "invalid_permit2_signature",
    });
  });

  it("a settlement whose receipt did not come in time is followed on retry, never sent twice", async () => {
    const signer = toFacilitatorEvmSigner({ walletClient: devnet.walletClient(devnet.accounts.facilitator) });
    let slow = true;
    // A test double around the real signer: the first receipt wait times out.
    const flaky = new Proxy(signer, {
      get(target, name, receiver) {
        if (name === "waitForTransactionReceipt")
          return async (hash: `0x${string}`, timeoutMs: number) => {
            if (slow) {
              slow = false;
              throw new Error("timed out (test double)");
            }
            return target.waitForTransactionReceipt(hash, timeoutMs);
          };
        return Reflect.get(target, name, receiver);
      },
    });
    const scheme = new UptoFacilitator(flaky);
    const payload = await pay();
    const before = await balances();
    const first = await scheme.settle(payload, charge(700n));
    expect(first).toMatchObject({ success: false, errorReason: "settlement_pending" });
    const again = await scheme.settle(payload, charge(700n));
    expect(again).toMatchObject({ success: true, amount: "700", transaction: first.transaction });
    const after = await balances();
    expect(before.payer - after.payer).toBe(700n);
    expect(await scheme.settle(payload, charge(700n))).toMatchObject({ errorReason: "duplicate_settlement" });
    expect(await balances()).toEqual(after);
  });

  it("several accounts: /supported names one, and the settlement is sent from the account the payer named", async () => {
    const accounts = [devnet.accounts.facilitator, devnet.accounts.other];
    const signers = accounts.map((a) => toFacilitatorEvmSigner({ walletClient: devnet.walletClient(a) }));
    const scheme = new UptoFacilitator(signers);
    expect(scheme.getSigners(devnet.network)).toEqual(accounts.map((a) => a.address));
    expect(accounts.map((a) => a.address)).toContain(scheme.getExtra(devnet.network)?.facilitatorAddress);
    const named = requirements({ extra: { facilitatorAddress: devnet.accounts.other.address } });
    const payload = await pay(named);
    expect(await scheme.verify(payload, named)).toMatchObject({ isValid: true });
    const settled = await scheme.settle(payload, { ...named, amount: "55" });
    expect(settled).toMatchObject({ success: true, amount: "55" });
    const tx = await devnet.publicClient.getTransaction({ hash: settled.transaction as `0x${string}` });
    expect(tx.from.toLowerCase()).toBe(devnet.accounts.other.address.toLowerCase());
    expect(() => new UptoFacilitator(combineFacilitatorEvmSigners(signers))).toThrow(
      /one signer per account/,
    );
  });

  it("a token off the allow-list is refused before any chain call", async () => {
    const strict = new UptoFacilitator(
      { walletClient: devnet.walletClient(devnet.accounts.facilitator) },
      { allowedAssets: [devnet.tokens.usd18.address] },
    );
    const payload = await pay();
    expect(await strict.verify(payload, requirements())).toMatchObject({
      isValid: false,
      invalidReason: "invalid_upto_evm_asset_not_allowed",
    });
    expect(await strict.settle(payload, charge(1n))).toMatchObject({
      success: false,
      errorReason: "invalid_upto_evm_asset_not_allowed",
    });
  });
});
