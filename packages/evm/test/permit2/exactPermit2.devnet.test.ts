import type { FacilitatorContext, PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { type Address, encodeFunctionData, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExactEvmScheme as ExactEvmClientScheme, toClientEvmSigner } from "../../src/exact/client/index.js";
import { ExactEvmScheme } from "../../src/exact/facilitator/index.js";
import {
  createErc20ApprovalGasSponsoringExtension,
  createErc20ApprovalSponsorSigner,
  declareEip2612GasSponsoringExtension,
  declareErc20ApprovalGasSponsoringExtension,
  PERMIT2_ADDRESS,
  Permit2Reason as R,
} from "../../src/index.js";
import { erc20PermitAbi } from "../../src/permit2/index.js";

let devnet: Devnet;
let facilitator: ExactEvmScheme;
let pusd: Address;
let requirements: PaymentRequirements;

beforeAll(async () => {
  devnet = await startDevnet();
  pusd = devnet.tokens.permit2Usd.address;
  facilitator = new ExactEvmScheme({
    walletClient: devnet.walletClient(devnet.accounts.facilitator),
    publicClient: devnet.publicClient,
  });
  requirements = {
    scheme: "exact",
    network: devnet.network,
    amount: "10000",
    asset: pusd,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 300,
    extra: {
      assetTransferMethod: "permit2",
      name: devnet.tokens.permit2Usd.name,
      version: devnet.tokens.permit2Usd.version,
    },
  };
});

afterAll(async () => {
  await devnet?.stop();
});

/** A payment made by our client, assembled as the core client does (server extensions merged). */
async function pay(
  account: Parameters<typeof toClientEvmSigner>[0],
  reqs = requirements,
  advertised?: Record<string, unknown>,
): Promise<PaymentPayload> {
  const signer = toClientEvmSigner(account, devnet.publicClient as never);
  const result = await new ExactEvmClientScheme(signer).createPaymentPayload(2, reqs, {
    extensions: advertised,
  });
  const extensions = advertised || result.extensions ? { ...advertised, ...result.extensions } : undefined;
  return {
    x402Version: 2,
    accepted: reqs,
    payload: result.payload,
    resource: { url: "https://example.test/paid" },
    ...(extensions ? { extensions } : {}),
  } as PaymentPayload;
}

const balanceOf = (address: Address) => devnet.balanceOf(address, pusd);
const permitInfo = (payment: PaymentPayload) =>
  (payment.extensions?.eip2612GasSponsoring as { info: Record<string, string> } | undefined)?.info ?? {};

describe("exact via Permit2 on anvil", () => {
  it("settles a pre-approved payer once, moving exactly the amount; a replay is refused", async () => {
    await devnet.approvePermit2(devnet.accounts.payer, pusd);
    const payer = privateKeyToAccount(devnet.accounts.payer.privateKey);
    const payment = await pay(payer);
    expect(payment.payload).toHaveProperty("permit2Authorization");
    const [payerBefore, payToBefore] = [
      await balanceOf(payer.address),
      await balanceOf(devnet.accounts.payTo.address),
    ];
    expect(await facilitator.verify(payment, requirements)).toEqual({ isValid: true, payer: payer.address });
    const settled = await facilitator.settle(payment, requirements);
    expect(settled).toMatchObject({ success: true, network: devnet.network, payer: payer.address });
    expect(payerBefore - (await balanceOf(payer.address))).toBe(10000n);
    expect((await balanceOf(devnet.accounts.payTo.address)) - payToBefore).toBe(10000n);

    expect((await facilitator.settle(payment, requirements)).errorReason).toBe("duplicate_settlement");
    expect((await facilitator.verify(payment, requirements)).isValid).toBe(false);
    const fresh = new ExactEvmScheme({
      walletClient: devnet.walletClient(devnet.accounts.facilitator),
      publicClient: devnet.publicClient,
    });
    const again = await fresh.settle(payment, requirements);
    expect(again.success).toBe(false);
    expect(again.errorReason, again.errorMessage ?? "").toBe(R.InvalidNonce);
    expect(payerBefore - (await balanceOf(payer.address))).toBe(10000n);
  });

  it("refuses wrong amount, recipient, token, deadline and signature with the official reasons", async () => {
    const payer = privateKeyToAccount(devnet.accounts.payer.privateKey);
    const payment = await pay(payer);
    const auth = (payment.payload as { permit2Authorization: Record<string, unknown> }).permit2Authorization;
    const tampered = (change: Record<string, unknown>) =>
      ({
        ...payment,
        payload: { ...payment.payload, permit2Authorization: { ...auth, ...change } },
      }) as PaymentPayload;
    const reason = async (p: PaymentPayload, reqs = requirements) =>
      (await facilitator.verify(p, reqs)).invalidReason;
    expect(await reason(payment, { ...requirements, amount: "10001" })).toBe(R.AmountMismatch);
    expect(await reason(payment, { ...requirements, payTo: devnet.accounts.other.address })).toBe(
      R.RecipientMismatch,
    );
    expect(await reason(payment, { ...requirements, asset: devnet.usdc.address })).toBe(R.TokenMismatch);
    expect(await reason(tampered({ deadline: String(Math.floor(Date.now() / 1000) - 1) }))).toBe(
      R.DeadlineExpired,
    );
    expect(await reason(tampered({ nonce: "1" }))).toBe(R.InvalidSignature);
    // settle refuses the same way and moves nothing
    expect((await facilitator.settle(tampered({ nonce: "1" }), requirements)).errorReason).toBe(
      R.InvalidSignature,
    );
  });

  it("asks for an allowance when the payer has none and no sponsoring came along", async () => {
    const other = privateKeyToAccount(devnet.accounts.other.privateKey);
    expect((await facilitator.verify(await pay(other), requirements)).invalidReason).toBe(
      R.AllowanceRequired,
    );
  });

  it("settles with an EIP-2612 permit (eip2612GasSponsoring) for a payer without allowance", async () => {
    const other = privateKeyToAccount(devnet.accounts.other.privateKey);
    const payment = await pay(other, requirements, declareEip2612GasSponsoringExtension());
    const info = permitInfo(payment);
    expect(info).toMatchObject({
      from: other.address,
      spender: PERMIT2_ADDRESS,
      amount: "10000",
      version: "1",
    });
    const before = await balanceOf(other.address);
    expect(await facilitator.verify(payment, requirements)).toEqual({ isValid: true, payer: other.address });
    // a permit for another amount is refused before anything is sent
    const wrong = structuredClone(payment);
    permitInfo(wrong).amount = "1";
    expect((await facilitator.verify(wrong, requirements)).invalidReason).toBe(R.Permit2612AmountMismatch);
    const settled = await facilitator.settle(payment, requirements);
    expect(settled).toMatchObject({ success: true, payer: other.address });
    expect(before - (await balanceOf(other.address))).toBe(10000n);
  });

  it("settles with a sponsored approval (erc20ApprovalGasSponsoring) for a payer with no allowance and no gas", async () => {
    const payer = privateKeyToAccount(generatePrivateKey());
    await devnet.mint(payer.address, 50_000n, pusd);
    expect(await devnet.publicClient.getBalance({ address: payer.address })).toBe(0n);
    const sponsorAccount = devnet.allAccounts[5] as (typeof devnet.allAccounts)[number];
    const extension = createErc20ApprovalGasSponsoringExtension(
      createErc20ApprovalSponsorSigner(
        { walletClient: devnet.walletClient(sponsorAccount), publicClient: devnet.publicClient as never },
        { maxFundingWei: parseEther("0.01") },
      ),
    );
    const context: FacilitatorContext = {
      getExtension: (key) => (key === extension.key ? (extension as never) : undefined),
    };
    const payment = await pay(payer, requirements, declareErc20ApprovalGasSponsoringExtension());
    expect(payment.extensions?.erc20ApprovalGasSponsoring).toBeDefined();
    expect(await facilitator.verify(payment, requirements, context)).toEqual({
      isValid: true,
      payer: payer.address,
    });
    // without the registered extension, the same payment lacks an allowance
    expect((await facilitator.verify(payment, requirements)).invalidReason).toBe(R.AllowanceRequired);
    const settled = await facilitator.settle(payment, requirements, context);
    expect(settled).toMatchObject({ success: true, payer: payer.address });
    expect(await balanceOf(payer.address)).toBe(40_000n);
    expect(await devnet.allowance(payer.address, PERMIT2_ADDRESS, pusd)).toBeGreaterThan(10n ** 70n);
  });

  it("a forged copy (victim's owner and nonce, bad signature) sent first does not block the real payment", async () => {
    const payer = privateKeyToAccount(devnet.accounts.payer.privateKey);
    const real = await pay(payer);
    const forger = privateKeyToAccount(generatePrivateKey());
    const forgedSignature = await forger.signMessage({ message: "not the payer" });
    const forged = { ...real, payload: { ...real.payload, signature: forgedSignature } } as PaymentPayload;
    const [forgedAnswer, realAnswer] = await Promise.all([
      facilitator.settle(forged, requirements),
      new Promise((resolve) => setTimeout(resolve, 5)).then(() => facilitator.settle(real, requirements)),
    ]);
    expect(forgedAnswer.errorReason).toBe(R.InvalidSignature);
    expect(realAnswer.success).toBe(true);
  });

  it("the same holds for EIP-3009: a forged copy is refused and the real payment settles", async () => {
    const usdcRequirements: PaymentRequirements = {
      ...requirements,
      asset: devnet.usdc.address,
      extra: { name: devnet.usdc.name, version: devnet.usdc.version },
    };
    const payer = privateKeyToAccount(devnet.accounts.payer.privateKey);
    const real = await pay(payer, usdcRequirements);
    const forgedSignature = await privateKeyToAccount(generatePrivateKey()).signMessage({ message: "x" });
    const forged = { ...real, payload: { ...real.payload, signature: forgedSignature } } as PaymentPayload;
    const [forgedAnswer, realAnswer] = await Promise.all([
      facilitator.settle(forged, usdcRequirements),
      new Promise((resolve) => setTimeout(resolve, 5)).then(() => facilitator.settle(real, usdcRequirements)),
    ]);
    expect(forgedAnswer.errorReason).toBe("invalid_exact_evm_signature");
    expect(realAnswer.success).toBe(true);
  });

  it("a settlement whose receipt is late is recorded: its retry verifies and follows the same transaction", async () => {
    const payer = privateKeyToAccount(generatePrivateKey());
    await devnet.mint(payer.address, 50_000n, pusd);
    const slow = new ExactEvmScheme(
      { walletClient: devnet.walletClient(devnet.accounts.facilitator), publicClient: devnet.publicClient },
      { receiptTimeoutMs: 300 },
    );
    const payment = await pay(payer, requirements, declareEip2612GasSponsoringExtension());
    await devnet.testClient.setAutomine(false);
    let pending: Awaited<ReturnType<typeof slow.settle>>;
    try {
      pending = await slow.settle(payment, requirements);
    } finally {
      await devnet.testClient.setAutomine(true);
    }
    expect(pending.errorReason).toBe("settlement_pending");
    await devnet.testClient.mine({ blocks: 1 });
    // the chain now sees the nonce used and the one-off allowance consumed; the record says it was ours
    expect(await slow.verify(payment, requirements)).toEqual({ isValid: true, payer: payer.address });
    const settled = await slow.settle(payment, requirements);
    expect(settled).toMatchObject({ success: true, transaction: pending.transaction });
    expect((await slow.settle(payment, requirements)).errorReason).toBe("duplicate_settlement");
    expect(await balanceOf(payer.address)).toBe(40_000n);
  });

  it("a sponsor never funds above its bound, nor the same payer twice", async () => {
    const sponsorAccount = devnet.allAccounts[6] as (typeof devnet.allAccounts)[number];
    const contextOf = (maxFundingWei: bigint): FacilitatorContext => {
      const extension = createErc20ApprovalGasSponsoringExtension(
        createErc20ApprovalSponsorSigner(
          { walletClient: devnet.walletClient(sponsorAccount), publicClient: devnet.publicClient as never },
          { maxFundingWei },
        ),
      );
      return { getExtension: (key) => (key === extension.key ? (extension as never) : undefined) };
    };
    const payer = privateKeyToAccount(generatePrivateKey());
    await devnet.mint(payer.address, 50_000n, pusd);
    const payment = await pay(payer, requirements, declareErc20ApprovalGasSponsoringExtension());
    const refused = await facilitator.settle(payment, requirements, contextOf(1n));
    expect(refused.errorReason).toBe(R.Erc20ApprovalBroadcastFailed);
    expect(await devnet.publicClient.getBalance({ address: payer.address })).toBe(0n);
    expect(await balanceOf(payer.address)).toBe(50_000n);

    // funded once: a second approval of the same payer that needs funding is refused
    const sponsorSigner = createErc20ApprovalSponsorSigner(
      { walletClient: devnet.walletClient(sponsorAccount), publicClient: devnet.publicClient as never },
      { maxFundingWei: parseEther("0.01") },
    );
    const fees = await devnet.publicClient.estimateFeesPerGas();
    const approval = (nonce: number, gas: bigint) =>
      payer.signTransaction({
        type: "eip1559",
        chainId: devnet.chainId,
        to: pusd,
        data: encodeFunctionData({
          abi: erc20PermitAbi,
          functionName: "approve",
          args: [PERMIT2_ADDRESS, 1n],
        }),
        nonce,
        gas,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      });
    await sponsorSigner.sendTransactions([await approval(0, 70_000n)]);
    expect(await devnet.allowance(payer.address, PERMIT2_ADDRESS, pusd)).toBe(1n);
    await expect(sponsorSigner.sendTransactions([await approval(1, 70_000n)])).rejects.toThrow(
      /already funded/,
    );
  });
});
