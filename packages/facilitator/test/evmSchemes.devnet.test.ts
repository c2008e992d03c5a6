import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { type DevAccount, type Devnet, startDevnet } from "@x402kit/devnet";
import { declareErc20ApprovalGasSponsoringExtension } from "@x402kit/evm";
import { ExactEvmScheme as ExactEvmClientScheme, toClientEvmSigner } from "@x402kit/evm/exact/client";
import { UptoEvmScheme as UptoClient } from "@x402kit/evm/upto/client";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltFacilitator, buildFacilitatorFromConfig, loadFacilitatorConfig } from "../src/index.js";
import { signPayment } from "./processes.js";

let devnet: Devnet;
let built: BuiltFacilitator;
let sponsor: DevAccount;
const V1_NAME = "anvil-x402kit";

beforeAll(async () => {
  devnet = await startDevnet();
  sponsor = devnet.allAccounts[7] as DevAccount;
  const prefix = `X402_NETWORKS_EIP155_${devnet.chainId}_`;
  const config = await loadFacilitatorConfig({
    env: {
      X402_SIGNERS_EIP155_PRIVATE_KEYS: devnet.accounts.facilitator.privateKey,
      X402_SIGNERS_EIP155_SPONSOR_PRIVATE_KEY: sponsor.privateKey,
      [`${prefix}RPC_URL`]: devnet.rpcUrl,
      [`${prefix}POLLING_INTERVAL_MS`]: "50",
      [`${prefix}UPTO`]: "true",
      [`${prefix}V1_NETWORK_NAME`]: V1_NAME,
      [`${prefix}EIP2612_GAS_SPONSORING`]: "true",
      [`${prefix}ERC20_APPROVAL_GAS_SPONSORING`]: "true",
      [`${prefix}SPONSOR_BUDGET_WEI`]: "10000000000000000",
    },
  });
  built = await buildFacilitatorFromConfig(config);
}, 60_000);
afterAll(async () => {
  await built?.close();
  await devnet?.stop();
});

const permit2Requirements = (): PaymentRequirements => ({
  scheme: "exact",
  network: devnet.network,
  amount: "10000",
  asset: devnet.tokens.permit2Usd.address,
  payTo: devnet.accounts.payTo.address,
  maxTimeoutSeconds: 120,
  extra: {
    assetTransferMethod: "permit2",
    name: devnet.tokens.permit2Usd.name,
    version: devnet.tokens.permit2Usd.version,
  },
});

async function sponsoredPayment(tokens: bigint) {
  const payer = privateKeyToAccount(generatePrivateKey());
  if (tokens > 0n) await devnet.mint(payer.address, tokens, devnet.tokens.permit2Usd.address);
  const req = permit2Requirements();
  const advertised = declareErc20ApprovalGasSponsoringExtension();
  const result = await new ExactEvmClientScheme(
    toClientEvmSigner(payer, devnet.publicClient as never),
  ).createPaymentPayload(2, req, { extensions: advertised });
  const payment = {
    x402Version: 2,
    accepted: req,
    payload: result.payload,
    extensions: { ...advertised, ...result.extensions },
  } as PaymentPayload;
  return { payer, payment, req };
}

describe("the config-built EVM facilitator: upto, v1 and gas sponsoring", () => {
  it("/supported lists exact, upto, the v1 twin and both gas-sponsoring extensions", () => {
    const supported = built.facilitator.getSupported();
    expect(supported.kinds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ x402Version: 2, scheme: "exact", network: devnet.network }),
        expect.objectContaining({ x402Version: 2, scheme: "upto", network: devnet.network }),
        expect.objectContaining({ x402Version: 1, scheme: "exact", network: V1_NAME }),
      ]),
    );
    expect(supported.extensions).toEqual(
      expect.arrayContaining(["eip2612GasSponsoring", "erc20ApprovalGasSponsoring"]),
    );
  });

  it("sponsors a payer holding the tokens (funded by the sponsor key) and refuses one without", async () => {
    const empty = await sponsoredPayment(0n);
    expect(await built.facilitator.verify(empty.payment, empty.req)).toMatchObject({
      isValid: false,
      invalidReason: "permit2_insufficient_balance",
    });
    const sponsorBefore = await devnet.publicClient.getBalance({ address: sponsor.address });
    const { payer, payment, req } = await sponsoredPayment(50_000n);
    expect(await built.facilitator.verify(payment, req)).toMatchObject({ isValid: true });
    expect(await built.facilitator.settle(payment, req)).toMatchObject({
      success: true,
      payer: payer.address,
    });
    expect(await devnet.balanceOf(payer.address, devnet.tokens.permit2Usd.address)).toBe(40_000n);
    expect(await devnet.publicClient.getBalance({ address: sponsor.address })).toBeLessThan(sponsorBefore);
  });

  it("settles upto from the key named in /supported", async () => {
    await devnet.approvePermit2(devnet.accounts.payer, devnet.usdc.address);
    const supported = built.facilitator.getSupported();
    const kind = supported.kinds.find((k) => k.scheme === "upto");
    const req: PaymentRequirements = {
      scheme: "upto",
      network: devnet.network,
      amount: "10000",
      asset: devnet.usdc.address,
      payTo: devnet.accounts.payTo.address,
      maxTimeoutSeconds: 120,
      extra: { assetTransferMethod: "permit2", ...(kind?.extra ?? {}) },
    };
    const client = new UptoClient(privateKeyToAccount(devnet.accounts.payer.privateKey));
    const { payload } = await client.createPaymentPayload(2, req);
    const payment = { x402Version: 2, accepted: req, payload } as PaymentPayload;
    expect(await built.facilitator.verify(payment, req)).toMatchObject({ isValid: true });
    expect(await built.facilitator.settle(payment, { ...req, amount: "4321" })).toMatchObject({
      success: true,
      amount: "4321",
    });
  });

  it("the v1 twin shares the v2 ledger: a payment settled in v1 is a duplicate in v2", async () => {
    const req: PaymentRequirements = {
      scheme: "exact",
      network: devnet.network,
      amount: "1000",
      asset: devnet.usdc.address,
      payTo: devnet.accounts.payTo.address,
      maxTimeoutSeconds: 60,
      extra: { name: devnet.usdc.name, version: devnet.usdc.version },
    };
    const v2 = await signPayment(devnet, req);
    const v1Requirements = { ...req, network: V1_NAME, maxAmountRequired: "1000" };
    const v1Payment = { x402Version: 1, scheme: "exact", network: V1_NAME, payload: v2.payload };
    expect(await built.facilitator.settle(v1Payment as never, v1Requirements as never)).toMatchObject({
      success: true,
      network: V1_NAME,
    });
    expect(await built.facilitator.settle(v2, req)).toMatchObject({
      success: false,
      errorReason: "duplicate_settlement",
    });
  });
});
