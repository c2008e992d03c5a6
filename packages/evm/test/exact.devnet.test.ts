import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { createWalletClient, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExactEvmScheme as ExactEvmClientScheme } from "../src/exact/client/index.js";
import { ExactEvmScheme } from "../src/exact/facilitator/index.js";
import { ExactEvmReason as R } from "../src/index.js";
import { signPayment, withInner } from "./helpers.js";

let devnet: Devnet;
let facilitator: ExactEvmScheme;
let requirements: PaymentRequirements;
const payer = () => privateKeyToAccount(devnet.accounts.payer.privateKey);

beforeAll(async () => {
  devnet = await startDevnet();
  facilitator = new ExactEvmScheme({
    walletClient: devnet.walletClient(devnet.accounts.facilitator),
    publicClient: devnet.publicClient,
  });
  requirements = {
    scheme: "exact",
    network: devnet.network,
    amount: "10000",
    asset: devnet.usdc.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 300,
    extra: { name: devnet.usdc.name, version: devnet.usdc.version },
  };
});

afterAll(async () => {
  await devnet?.stop();
});

/** A payment made by the real client, with `accepted` filled in as the core client does. */
async function clientPayment(reqs = requirements, account = payer()): Promise<PaymentPayload> {
  const { x402Version, payload } = await new ExactEvmClientScheme(account).createPaymentPayload(2, reqs, {});
  return {
    x402Version,
    accepted: reqs,
    payload,
    resource: { url: "https://example.test/paid" },
  } as PaymentPayload;
}

const balances = async () => ({
  payer: await devnet.balanceOf(devnet.accounts.payer.address),
  payTo: await devnet.balanceOf(devnet.accounts.payTo.address),
});

describe("exact EVM on anvil", () => {
  it("verifies and settles a client payment, moving exactly the amount", async () => {
    const payment = await clientPayment();
    const before = await balances();
    expect(await facilitator.verify(payment, requirements)).toEqual({
      isValid: true,
      payer: devnet.accounts.payer.address,
    });
    const settled = await facilitator.settle(payment, requirements);
    expect(settled).toMatchObject({
      success: true,
      network: devnet.network,
      payer: devnet.accounts.payer.address,
      amount: "10000",
    });
    expect(settled.transaction).toMatch(/^0x[0-9a-f]{64}$/);
    const receipt = await devnet.publicClient.getTransactionReceipt({
      hash: settled.transaction as `0x${string}`,
    });
    expect(receipt.from.toLowerCase()).toBe(devnet.accounts.facilitator.address.toLowerCase());
    const after = await balances();
    expect(before.payer - after.payer).toBe(10000n);
    expect(after.payTo - before.payTo).toBe(10000n);

    // replay of the same authorization: verify sees the used nonce; settle refuses a second
    // success from the record, and an instance without that record reads the chain
    expect(await facilitator.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: R.NonceAlreadyUsed,
    });
    const replay = await facilitator.settle(payment, requirements);
    expect(replay).toMatchObject({ success: false, errorReason: R.DuplicateSettlement, transaction: "" });
    expect(replay.errorMessage).toContain(settled.transaction);
    const forgetful = new ExactEvmScheme({
      walletClient: devnet.walletClient(devnet.accounts.facilitator),
      publicClient: devnet.publicClient,
    });
    expect(await forgetful.settle(payment, requirements)).toMatchObject({
      success: false,
      errorReason: R.NonceAlreadyUsed,
      transaction: "",
    });
    expect(await balances()).toEqual(after);
  });

  it("settles 20 concurrent copies of one payment exactly once", async () => {
    const payment = await clientPayment();
    const before = await balances();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => facilitator.settle(structuredClone(payment), requirements)),
    );
    const successes = results.filter((r) => r.success);
    expect(successes).toHaveLength(1);
    for (const failure of results.filter((r) => !r.success))
      expect(failure).toMatchObject({ errorReason: R.DuplicateSettlement, transaction: "" });
    const after = await balances();
    expect(before.payer - after.payer).toBe(10000n);
    expect(after.payTo - before.payTo).toBe(10000n);
  });

  it("settles different payments concurrently from one facilitator account", async () => {
    const payments = await Promise.all(Array.from({ length: 8 }, () => clientPayment()));
    const before = await balances();
    const results = await Promise.all(payments.map((p) => facilitator.settle(p, requirements)));
    for (const result of results) expect(result).toMatchObject({ success: true });
    expect(new Set(results.map((r) => r.transaction)).size).toBe(8);
    const after = await balances();
    expect(after.payTo - before.payTo).toBe(80000n);
  });

  it("settles a payment signed with a v of 0/1 (y-parity) via the v,r,s overload", async () => {
    const payment = await signPayment(payer(), requirements);
    const parity = withInner(payment, (p) => {
      const signature = p.signature as string;
      const v = Number.parseInt(signature.slice(-2), 16) - 27;
      return { ...p, signature: `${signature.slice(0, -2)}0${v}` };
    });
    expect(await facilitator.verify(parity, requirements)).toMatchObject({ isValid: true });
    expect(await facilitator.settle(parity, requirements)).toMatchObject({ success: true });
  });

  it("rejects expired and not-yet-valid authorizations", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const [authorization, reason] of [
      [{ validBefore: String(now - 1) }, R.ValidBefore],
      [{ validBefore: String(now + 2) }, R.ValidBefore],
      [{ validAfter: String(now + 120) }, R.ValidAfter],
    ] as const) {
      const payment = await signPayment(payer(), requirements, { authorization });
      expect(await facilitator.verify(payment, requirements)).toMatchObject({
        isValid: false,
        invalidReason: reason,
      });
      expect(await facilitator.settle(payment, requirements)).toMatchObject({
        success: false,
        errorReason: reason,
        transaction: "",
      });
    }
  });

  it("rejects wrong amount, wrong payTo and wrong asset", async () => {
    const wrongValue = await signPayment(payer(), requirements, { authorization: { value: "9999" } });
    expect((await facilitator.verify(wrongValue, requirements)).invalidReason).toBe(R.ValueMismatch);
    const wrongTo = await signPayment(payer(), requirements, {
      authorization: { to: devnet.accounts.other.address },
    });
    expect((await facilitator.verify(wrongTo, requirements)).invalidReason).toBe(R.RecipientMismatch);
    const otherAsset = "0x1111111111111111111111111111111111111111";
    const forOtherAsset = await clientPayment({ ...requirements, asset: otherAsset });
    expect((await facilitator.verify(forOtherAsset, requirements)).invalidReason).toBe(R.Signature);
    const signedOverOtherAsset = await signPayment(payer(), requirements, {
      domain: { verifyingContract: otherAsset },
    });
    expect((await facilitator.verify(signedOverOtherAsset, requirements)).invalidReason).toBe(R.Signature);
    const undeployed = await clientPayment({ ...requirements, asset: otherAsset });
    expect((await facilitator.verify(undeployed, { ...requirements, asset: otherAsset })).invalidReason).toBe(
      R.AssetNotDeployed,
    );
  });

  it("rejects a signature over another chain id and a tampered signature", async () => {
    const otherChain = await signPayment(payer(), requirements, { domain: { chainId: 8453 } });
    expect((await facilitator.verify(otherChain, requirements)).invalidReason).toBe(R.Signature);
    const payment = await clientPayment();
    const tampered = withInner(payment, (p) => {
      const s = p.signature as string;
      return { ...p, signature: `${s.slice(0, 10)}${s[10] === "0" ? "1" : "0"}${s.slice(11)}` };
    });
    expect((await facilitator.verify(tampered, requirements)).invalidReason).toBe(R.Signature);
    expect(await facilitator.settle(tampered, requirements)).toMatchObject({
      success: false,
      errorReason: R.Signature,
    });
    const otherSigner = withInner(
      await clientPayment(requirements, privateKeyToAccount(devnet.accounts.other.privateKey)),
      (p) => ({
        ...p,
        authorization: { ...(p.authorization as object), from: devnet.accounts.payer.address },
      }),
    );
    expect((await facilitator.verify(otherSigner, requirements)).invalidReason).toBe(R.Signature);
  });

  it("rejects a payer without enough balance", async () => {
    const broke = privateKeyToAccount(generatePrivateKey());
    const payment = await clientPayment(requirements, broke);
    expect(await facilitator.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: R.InsufficientBalance,
      payer: broke.address,
    });
    const tooMuch = { ...requirements, amount: String(10n ** 15n) };
    expect((await facilitator.verify(await clientPayment(tooMuch), tooMuch)).invalidReason).toBe(
      R.InsufficientBalance,
    );
  });

  it("diagnoses a wrong EIP-712 domain name in extra through the simulation", async () => {
    const wrongName = { ...requirements, extra: { name: "USDC", version: devnet.usdc.version } };
    const payment = await clientPayment(wrongName);
    expect(await facilitator.verify(payment, wrongName)).toMatchObject({
      isValid: false,
      invalidReason: R.TokenNameMismatch,
    });
    const wrongVersion = { ...requirements, extra: { name: devnet.usdc.name, version: "1" } };
    expect((await facilitator.verify(await clientPayment(wrongVersion), wrongVersion)).invalidReason).toBe(
      R.TokenVersionMismatch,
    );
    // settle does not simulate by default: the broadcast's revert text is mapped instead
    const settled = await facilitator.settle(payment, wrongName);
    expect(settled).toMatchObject({ success: false, errorReason: R.Signature, transaction: "" });
    expect(settled.errorMessage).toMatch(/TestUSDC: invalid signature/);
    expect(settled.errorMessage?.length).toBeLessThan(300);
  });

  it("reports the revert text of a failed simulation", async () => {
    const toZero = { ...requirements, payTo: "0x0000000000000000000000000000000000000000" };
    const result = await facilitator.verify(await clientPayment(toZero), toZero);
    expect(result).toMatchObject({ isValid: false, invalidReason: R.SimulationFailed });
    expect(result.invalidMessage).toMatch(/TestUSDC: transfer to the zero address/);
  });

  it("can simulate again before broadcasting (simulateInSettle)", async () => {
    const strict = new ExactEvmScheme(
      { walletClient: devnet.walletClient(devnet.accounts.facilitator), publicClient: devnet.publicClient },
      { simulateInSettle: true },
    );
    const wrongName = { ...requirements, extra: { name: "USDC", version: devnet.usdc.version } };
    expect(await strict.settle(await clientPayment(wrongName), wrongName)).toMatchObject({
      success: false,
      errorReason: R.TokenNameMismatch,
    });
    expect(await strict.settle(await clientPayment(), requirements)).toMatchObject({ success: true });
  });

  it("answers malformed payloads with invalid_payload, never throwing", async () => {
    const payment = await clientPayment();
    const edits: Array<(p: Record<string, unknown>) => unknown> = [
      ({ authorization: _, ...rest }) => rest,
      (p) => ({ ...p, signature: "hello" }),
      (p) => ({ ...p, signature: 12345 }),
      (p) => ({ ...p, authorization: { ...(p.authorization as object), value: 10000 } }),
      (p) => ({
        ...p,
        authorization: { ...(p.authorization as object), validAfter: 0, validBefore: 1900000000 },
      }),
      (p) => ({ ...p, authorization: { ...(p.authorization as object), nonce: undefined } }),
    ];
    const before = await balances();
    for (const edit of edits) {
      const bad = withInner(payment, edit);
      expect((await facilitator.verify(bad, requirements)).invalidReason).toBe(R.InvalidPayload);
      expect((await facilitator.settle(bad, requirements)).errorReason).toBe(R.InvalidPayload);
    }
    expect(await balances()).toEqual(before);
  });

  it("maps RPC failures to unexpected_verify_error", async () => {
    const offline = new ExactEvmScheme({
      walletClient: createWalletClient({
        account: privateKeyToAccount(devnet.accounts.facilitator.privateKey),
        chain: devnet.chain,
        transport: http("http://127.0.0.1:9", { retryCount: 0, timeout: 2_000 }),
      }),
    });
    const payment = await clientPayment();
    expect(await offline.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: R.UnexpectedVerifyError,
    });
    expect(await offline.settle(payment, requirements)).toMatchObject({
      success: false,
      errorReason: R.UnexpectedSettleError,
    });
  });
});
