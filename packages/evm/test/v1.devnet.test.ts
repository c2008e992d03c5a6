import type { PaymentRequirements } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { registerExactEvmScheme as registerFacilitator } from "@x402kit/evm/exact/facilitator";
import { registerExactEvmSchemeV1 } from "@x402kit/evm/exact/v1/client";
import { registerEvmNetworkV1 } from "@x402kit/evm/v1";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
}, 60_000);
afterAll(() => devnet?.stop());

describe("x402 v1 on a local chain (a v1 name added with registerEvmNetworkV1)", () => {
  it("our v1 client pays and our facilitator settles once on anvil", async () => {
    registerEvmNetworkV1("x402kit-anvil", devnet.chainId);
    // Registered after the name exists: the facilitator helper finds the chain's v1 name.
    const facilitator = registerFacilitator(new x402Facilitator(), {
      signer: { walletClient: devnet.walletClient(devnet.accounts.facilitator) },
    });
    expect(facilitator.getSupported().kinds.map((k) => `${k.x402Version}:${k.network}`)).toContain(
      "1:x402kit-anvil",
    );
    const client = registerExactEvmSchemeV1(new x402Client({ spendControls: false }), {
      signer: privateKeyToAccount(devnet.accounts.payer.privateKey),
    });
    const requirements = {
      scheme: "exact",
      network: "x402kit-anvil",
      maxAmountRequired: "1234",
      resource: "http://localhost/v1",
      description: "",
      mimeType: "",
      payTo: devnet.accounts.payTo.address,
      maxTimeoutSeconds: 60,
      asset: devnet.usdc.address,
      extra: { name: devnet.usdc.name, version: devnet.usdc.version },
    } as unknown as PaymentRequirements;
    const payload = await client.createPaymentPayload({ x402Version: 1, accepts: [requirements as never] });
    const before = await devnet.balanceOf(devnet.accounts.payTo.address);
    expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: true });
    expect(await facilitator.settle(payload, requirements)).toMatchObject({
      success: true,
      network: "x402kit-anvil",
    });
    expect((await devnet.balanceOf(devnet.accounts.payTo.address)) - before).toBe(1234n);
    expect((await facilitator.settle(payload, requirements)).success).toBe(false);
    expect((await devnet.balanceOf(devnet.accounts.payTo.address)) - before).toBe(1234n);
  });
});
