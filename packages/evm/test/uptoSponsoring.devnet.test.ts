import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { type Devnet, type DevnetToken, startDevnet } from "@x402kit/devnet";
import { UptoEvmScheme as UptoClient } from "@x402kit/evm/upto/client";
import { UptoEvmScheme as UptoFacilitator } from "@x402kit/evm/upto/facilitator";
import { erc20Abi } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createErc20ApprovalGasSponsoringExtension,
  createErc20ApprovalSponsorSigner,
  declareEip2612GasSponsoringExtension,
  declareErc20ApprovalGasSponsoringExtension,
} from "../src/gasSponsoring/index.js";
import { PERMIT2_ADDRESS } from "../src/permit2/index.js";

const MAX = 10_000n;
let devnet: Devnet;
let engine: x402Facilitator;

// The payer is the devnet's `payTo` account: funded with every token, no Permit2 allowance.
beforeAll(async () => {
  devnet = await startDevnet();
  const wallet = devnet.walletClient(devnet.accounts.facilitator);
  engine = new x402Facilitator()
    .register(devnet.network, new UptoFacilitator({ walletClient: wallet }))
    .registerExtension(
      createErc20ApprovalGasSponsoringExtension(createErc20ApprovalSponsorSigner({ walletClient: wallet })),
    );
}, 60_000);
afterAll(() => devnet?.stop());

const payer = () => devnet.accounts.payTo;

function requirements(token: DevnetToken, overrides: Partial<PaymentRequirements> = {}): PaymentRequirements {
  return {
    scheme: "upto",
    network: devnet.network,
    amount: MAX.toString(),
    asset: token.address,
    payTo: devnet.accounts.other.address,
    maxTimeoutSeconds: 120,
    extra: {
      assetTransferMethod: "permit2",
      facilitatorAddress: devnet.accounts.facilitator.address,
      name: token.name,
      version: token.version,
    },
    ...overrides,
  };
}

async function pay(req: PaymentRequirements, extensions: Record<string, unknown>): Promise<PaymentPayload> {
  const client = new UptoClient(privateKeyToAccount(payer().privateKey), { rpcUrl: devnet.rpcUrl });
  const result = await client.createPaymentPayload(2, req, { extensions });
  return {
    x402Version: 2,
    accepted: req,
    payload: result.payload,
    ...(result.extensions ? { extensions: result.extensions } : {}),
  };
}

const allowance = (token: `0x${string}`) =>
  devnet.publicClient.readContract({
    address: token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [payer().address, PERMIT2_ADDRESS],
  });

describe("upto with gas sponsoring on anvil (payer without a Permit2 allowance)", () => {
  it("without an extension the facilitator answers permit2_allowance_required", async () => {
    const req = requirements(devnet.tokens.permit2Usd);
    expect(await engine.verify(await pay(req, {}), req)).toMatchObject({
      isValid: false,
      invalidReason: "permit2_allowance_required",
    });
  });

  it("EIP-2612: the client permits Permit2 for the maximum, settleWithPermit charges less", async () => {
    const token = devnet.tokens.permit2Usd;
    const req = requirements(token);
    const payload = await pay(req, declareEip2612GasSponsoringExtension());
    expect(payload.extensions?.eip2612GasSponsoring).toMatchObject({
      info: { amount: MAX.toString(), from: payer().address },
    });
    const info = (payload.extensions as { eip2612GasSponsoring: { info: Record<string, string> } })
      .eip2612GasSponsoring.info;

    const wrongAmount = {
      ...payload,
      extensions: { eip2612GasSponsoring: { info: { ...info, amount: "1" } } },
    };
    expect(await engine.verify(wrongAmount, req)).toMatchObject({
      invalidReason: "permit2_2612_amount_mismatch",
    });
    const wrongFrom = {
      ...payload,
      extensions: { eip2612GasSponsoring: { info: { ...info, from: devnet.accounts.other.address } } },
    };
    expect(await engine.verify(wrongFrom, req)).toMatchObject({ invalidReason: "eip2612_from_mismatch" });

    expect(await engine.verify(payload, req)).toMatchObject({ isValid: true });
    const before = await devnet.balanceOf(payer().address, token.address);
    const settled = await engine.settle(payload, { ...req, amount: "3000" });
    expect(settled).toMatchObject({ success: true, amount: "3000" });
    expect(before - (await devnet.balanceOf(payer().address, token.address))).toBe(3000n);
    expect(await allowance(token.address)).toBe(MAX - 3000n);
  });

  it("ERC-20 approval: the facilitator broadcasts the payer's signed approve, then settles the charge", async () => {
    const token = devnet.tokens.usd18;
    expect(await allowance(token.address)).toBe(0n);
    const req = requirements(token, { amount: (10n ** 18n).toString() });
    const payload = await pay(req, declareErc20ApprovalGasSponsoringExtension());
    expect(payload.extensions?.erc20ApprovalGasSponsoring).toBeDefined();
    expect(await engine.verify(payload, req)).toMatchObject({ isValid: true });
    const before = await devnet.balanceOf(devnet.accounts.other.address, token.address);
    const charge = 25n * 10n ** 16n; // 0.25 of an 18-decimals token
    const settled = await engine.settle(payload, { ...req, amount: charge.toString() });
    expect(settled).toMatchObject({ success: true, amount: charge.toString() });
    expect((await devnet.balanceOf(devnet.accounts.other.address, token.address)) - before).toBe(charge);
    expect(await allowance(token.address)).toBeGreaterThan(10n ** 30n);
    expect(await engine.settle(payload, { ...req, amount: charge.toString() })).toMatchObject({
      success: false,
      errorReason: "duplicate_settlement",
    });
  });
});
