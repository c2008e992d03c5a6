import { type FacilitatorClient, moneyToAtomic } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { x402ResourceServer } from "@x402kit/core/server";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerExactEvmScheme as registerExactEvmClientScheme } from "../src/exact/client/index.js";
import { registerExactEvmScheme as registerExactEvmFacilitator } from "../src/exact/facilitator/index.js";
import {
  ExactEvmScheme as ExactEvmServerScheme,
  registerExactEvmScheme as registerExactEvmServerScheme,
} from "../src/exact/server/index.js";

let devnet: Devnet;

beforeAll(async () => {
  devnet = await startDevnet();
});

afterAll(async () => {
  await devnet?.stop();
});

describe("exact EVM through the core engines", () => {
  it("prices, pays, verifies and settles $0.01 end to end", async () => {
    const facilitator = registerExactEvmFacilitator(new x402Facilitator(), {
      networks: devnet.network,
      signer: {
        walletClient: devnet.walletClient(devnet.accounts.facilitator),
        publicClient: devnet.publicClient,
      },
    });
    expect(facilitator.getSupported()).toMatchObject({
      kinds: [{ x402Version: 2, scheme: "exact", network: devnet.network }],
      signers: { "eip155:*": [devnet.accounts.facilitator.address] },
    });
    const inProcess: FacilitatorClient = {
      verify: (payload, requirements) => facilitator.verify(payload, requirements),
      settle: (payload, requirements) => facilitator.settle(payload, requirements),
      getSupported: async () => facilitator.getSupported(),
    };
    // The devnet chain has no default stablecoin: a money parser maps "$" prices to TestUSDC.
    const scheme = new ExactEvmServerScheme().registerMoneyParser((amount, network) =>
      network === devnet.network
        ? {
            amount: moneyToAtomic(amount, devnet.usdc.decimals),
            asset: devnet.usdc.address,
            extra: { name: devnet.usdc.name, version: devnet.usdc.version },
          }
        : null,
    );
    const server = registerExactEvmServerScheme(new x402ResourceServer(inProcess), { scheme });
    const requirements = await server.buildRequirements({
      scheme: "exact",
      network: devnet.network,
      price: "$0.01",
      payTo: devnet.accounts.payTo.address,
    });
    expect(requirements).toMatchObject({
      amount: "10000",
      asset: devnet.usdc.address,
      maxTimeoutSeconds: 300,
    });

    // TestUSDC is not a known stablecoin: the client must allow it explicitly.
    const spendControls = {
      allowedAssets: [
        { network: devnet.network, asset: devnet.usdc.address, maxAmountPerPayment: "1000000" },
      ],
    };
    const client = registerExactEvmClientScheme(new x402Client({ spendControls }), {
      signer: privateKeyToAccount(devnet.accounts.payer.privateKey),
    });
    const payload = await client.createPaymentPayload({
      x402Version: 2,
      resource: { url: "https://example.test/report" },
      accepts: [requirements],
    });
    expect(server.paymentId(payload)).toMatch(/^eip155:31337:0x[0-9a-f]{40}:0x[0-9a-f]{40}:0x[0-9a-f]{64}$/);

    const before = await devnet.balanceOf(devnet.accounts.payTo.address);
    expect(await server.verifyPayment(payload, requirements)).toMatchObject({ isValid: true });
    const settled = await server.settlePayment(payload, requirements);
    expect(settled).toMatchObject({ success: true, network: devnet.network, amount: "10000" });
    expect((await devnet.balanceOf(devnet.accounts.payTo.address)) - before).toBe(10000n);
  });
});
