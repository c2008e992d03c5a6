import type { FacilitatorContext, PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { type KeyValueStore, MemoryStore } from "@x402kit/core/storage";
import { type DevAccount, type Devnet, startDevnet } from "@x402kit/devnet";
import { type Address, encodeFunctionData, type PublicClient, parseEther, parseTransaction } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExactEvmScheme as ExactEvmClientScheme, toClientEvmSigner } from "../../src/exact/client/index.js";
import { ExactEvmScheme } from "../../src/exact/facilitator/index.js";
import {
  createErc20ApprovalGasSponsoringExtension,
  createErc20ApprovalSponsorSigner,
  declareErc20ApprovalGasSponsoringExtension,
  type Erc20ApprovalSponsorOptions,
  PERMIT2_ADDRESS,
  Permit2Reason as R,
} from "../../src/index.js";
import { erc20PermitAbi, MAX_UINT256 } from "../../src/permit2/index.js";

let devnet: Devnet;
let facilitator: ExactEvmScheme;
let pusd: Address;
let requirements: PaymentRequirements;
let sponsorAccount: DevAccount;

beforeAll(async () => {
  devnet = await startDevnet();
  pusd = devnet.tokens.permit2Usd.address;
  sponsorAccount = devnet.allAccounts[7] as DevAccount;
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
}, 60_000);
afterAll(() => devnet?.stop());

const ethOf = (address: Address) => devnet.publicClient.getBalance({ address });

function sponsorContext(
  options: Erc20ApprovalSponsorOptions = {},
  publicClient: PublicClient = devnet.publicClient as never,
): FacilitatorContext {
  const extension = createErc20ApprovalGasSponsoringExtension(
    createErc20ApprovalSponsorSigner(
      { walletClient: devnet.walletClient(sponsorAccount), publicClient },
      { maxFundingWei: parseEther("0.01"), ...options },
    ),
  );
  return { getExtension: (key) => (key === extension.key ? (extension as never) : undefined) };
}

/** A fresh payer with no ETH and `tokens` of the Permit2-only token, and its sponsored payment. */
async function freshPayment(tokens: bigint) {
  const payer = privateKeyToAccount(generatePrivateKey());
  if (tokens > 0n) await devnet.mint(payer.address, tokens, pusd);
  const advertised = declareErc20ApprovalGasSponsoringExtension();
  const signer = toClientEvmSigner(payer, devnet.publicClient as never);
  const result = await new ExactEvmClientScheme(signer).createPaymentPayload(2, requirements, {
    extensions: advertised,
  });
  const payment = {
    x402Version: 2,
    accepted: requirements,
    payload: result.payload,
    resource: { url: "https://example.test/paid" },
    extensions: { ...advertised, ...result.extensions },
  } as PaymentPayload;
  return { payer, payment };
}

describe("the ERC-20 approval sponsor cannot be drained", () => {
  it("payers without the tokens are never funded (verify and settle refuse, the sponsor spends nothing)", async () => {
    const context = sponsorContext();
    const before = await ethOf(sponsorAccount.address);
    for (let i = 0; i < 3; i++) {
      const { payer, payment } = await freshPayment(0n);
      expect((await facilitator.verify(payment, requirements, context)).invalidReason).toBe(
        R.InsufficientBalance,
      );
      const settled = await facilitator.settle(payment, requirements, context);
      expect(settled).toMatchObject({ success: false, errorReason: R.InsufficientBalance });
      expect(await ethOf(payer.address)).toBe(0n);
    }
    expect(await ethOf(sponsorAccount.address)).toBe(before);
  });

  it("the per-payer cooldown lives in the store: a second sponsor instance sharing it refuses the payer", async () => {
    const store: KeyValueStore = new MemoryStore();
    const { payer, payment } = await freshPayment(50_000n);
    expect(await facilitator.settle(payment, requirements, sponsorContext({ store }))).toMatchObject({
      success: true,
    });
    // The same payer needs funding again for a second approval: another instance (a restart) refuses.
    const fees = await devnet.publicClient.estimateFeesPerGas();
    const approval = await payer.signTransaction({
      type: "eip1559",
      chainId: devnet.chainId,
      to: pusd,
      data: encodeFunctionData({ abi: erc20PermitAbi, functionName: "approve", args: [PERMIT2_ADDRESS, 1n] }),
      nonce: 1,
      gas: 70_000n,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    const restarted = createErc20ApprovalSponsorSigner(
      { walletClient: devnet.walletClient(sponsorAccount), publicClient: devnet.publicClient as never },
      { store },
    );
    expect(await restarted.checkApproval?.(approval)).toMatchObject({ ok: false });
    await expect(restarted.sendTransactions([approval])).rejects.toThrow(/already funded/);
  });

  it("a total budget per window: once spent, verify says invalid and settle funds nobody", async () => {
    const first = await freshPayment(50_000n);
    const second = await freshPayment(50_000n);
    // Room for the first approval's funding (its gas limit at its fee), not a second one.
    const extensions = first.payment.extensions as Record<string, { info: { signedTransaction: string } }>;
    const signed = extensions.erc20ApprovalGasSponsoring?.info.signedTransaction;
    const tx = parseTransaction(signed as `0x${string}`);
    const context = sponsorContext({ budgetWei: (tx.gas ?? 0n) * (tx.maxFeePerGas ?? 0n) });
    expect(await facilitator.settle(first.payment, requirements, context)).toMatchObject({ success: true });
    expect(await facilitator.verify(second.payment, requirements, context)).toMatchObject({
      isValid: false,
      invalidReason: R.Erc20ApprovalBroadcastFailed,
    });
    expect(await facilitator.settle(second.payment, requirements, context)).toMatchObject({
      success: false,
      errorReason: R.Erc20ApprovalBroadcastFailed,
    });
    expect(await ethOf(second.payer.address)).toBe(0n);
  });

  it("funds no more than the approval's gas limit at its fee, and refuses a gas limit far above the estimate", async () => {
    const payer = privateKeyToAccount(generatePrivateKey());
    await devnet.mint(payer.address, 50_000n, pusd);
    const fees = await devnet.publicClient.estimateFeesPerGas();
    const sign = (gas: bigint) =>
      payer.signTransaction({
        type: "eip1559",
        chainId: devnet.chainId,
        to: pusd,
        data: encodeFunctionData({
          abi: erc20PermitAbi,
          functionName: "approve",
          args: [PERMIT2_ADDRESS, MAX_UINT256],
        }),
        nonce: 0,
        gas,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      });
    const sponsor = createErc20ApprovalSponsorSigner({
      walletClient: devnet.walletClient(sponsorAccount),
      publicClient: devnet.publicClient as never,
    });
    expect(await sponsor.checkApproval?.(await sign(110_000n))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/gas limit 110000 exceeds/),
    });
    await sponsor.sendTransactions([await sign(70_000n)]);
    expect(await ethOf(payer.address)).toBeLessThan(70_000n * (fees.maxFeePerGas ?? 0n));
  });

  it("without the network's fee estimate the sponsor refuses instead of trusting the payer's fee", async () => {
    const { payment } = await freshPayment(50_000n);
    // A test double of the public client whose fee estimate fails; every other read is real.
    const noFees = new Proxy(devnet.publicClient, {
      get: (target, key, receiver) =>
        key === "estimateFeesPerGas"
          ? () => Promise.reject(new Error("fee estimate unavailable"))
          : Reflect.get(target, key, receiver),
    }) as PublicClient;
    const context = sponsorContext({}, noFees);
    expect(await facilitator.verify(payment, requirements, context)).toMatchObject({
      isValid: false,
      invalidReason: R.Erc20ApprovalBroadcastFailed,
    });
  });

  it("an extension with no sponsor for the network: verify asks for an allowance instead of answering valid", async () => {
    const { payment } = await freshPayment(50_000n);
    const bare = { key: "erc20ApprovalGasSponsoring" };
    const context: FacilitatorContext = {
      getExtension: (key) => (key === bare.key ? (bare as never) : undefined),
    };
    expect((await facilitator.verify(payment, requirements, context)).invalidReason).toBe(
      R.AllowanceRequired,
    );
  });

  it("settle of a payer without a Permit2 allowance answers permit2_allowance_required, sending nothing", async () => {
    const { payment } = await freshPayment(50_000n);
    const nonce = await devnet.publicClient.getTransactionCount({
      address: devnet.accounts.facilitator.address,
    });
    expect(await facilitator.settle(payment, requirements)).toMatchObject({
      success: false,
      errorReason: R.AllowanceRequired,
    });
    expect(
      await devnet.publicClient.getTransactionCount({ address: devnet.accounts.facilitator.address }),
    ).toBe(nonce);
  });
});
