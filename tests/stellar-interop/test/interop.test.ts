import { createEd25519Signer as officialSigner } from "@x402/stellar";
import { ExactStellarScheme as OfficialClient } from "@x402/stellar/exact/client";
import { ExactStellarScheme as OfficialFacilitator } from "@x402/stellar/exact/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { HTTPFacilitatorClient } from "@x402kit/core/http";
import { createEd25519Signer } from "@x402kit/stellar";
import { ExactStellarScheme as OurClient } from "@x402kit/stellar/exact/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRICE, requirementsOf, type StellarStack, startStellarStack } from "../src/stellarStack.js";

// Interop with the official @x402/stellar 2.9.0 on the local Soroban RPC stand-in, labelled
// stellar:testnet (testnet passphrase, HTTPS): the official package knows no other network.
let stack: StellarStack;
let ours: HTTPFacilitatorClient;

beforeAll(async () => {
  stack = await startStellarStack({ testnet: true });
  ours = new HTTPFacilitatorClient({ url: stack.service.url });
});
afterAll(async () => {
  await stack?.stop();
});

function paymentOf(created: { x402Version: number; payload: Record<string, unknown> }, requirements: object) {
  return {
    x402Version: created.x402Version,
    payload: created.payload,
    accepted: requirements,
    resource: { url: "http://127.0.0.1/paid", description: "", mimeType: "" },
  } as unknown as PaymentPayload;
}

describe("official client → our facilitator service", () => {
  it("verifies and settles, balances exact", async () => {
    const { devnet, usdc, payer, payTo, facilitator } = stack;
    const requirements = requirementsOf(stack) as unknown as PaymentRequirements;
    const client = new OfficialClient(officialSigner(payer.secret(), "stellar:testnet"), {
      url: devnet.rpcUrl,
    });
    const payment = paymentOf(await client.createPaymentPayload(2, requirements as never), requirements);
    const before = {
      payer: devnet.balance(usdc, payer.publicKey()),
      payTo: devnet.balance(usdc, payTo.publicKey()),
      fee: devnet.nativeBalance(facilitator.publicKey()),
    };

    expect(await ours.verify(payment, requirements)).toEqual({ isValid: true, payer: payer.publicKey() });
    const settled = await ours.settle(payment, requirements);
    expect(settled).toMatchObject({ success: true, network: "stellar:testnet", payer: payer.publicKey() });
    expect(devnet.ledger.transactions.get(settled.transaction)?.status).toBe("SUCCESS");
    expect(devnet.balance(usdc, payer.publicKey())).toBe(before.payer - BigInt(PRICE));
    expect(devnet.balance(usdc, payTo.publicKey())).toBe(before.payTo + BigInt(PRICE));
    expect(devnet.nativeBalance(facilitator.publicKey())).toBe(
      before.fee - 100n - devnet.ledger.minResourceFee,
    );

    // The same payload again: refused, nothing moves.
    const again = await ours.settle(payment, requirements);
    expect(again.success).toBe(false);
    expect(devnet.balance(usdc, payTo.publicKey())).toBe(before.payTo + BigInt(PRICE));
  });
});

describe("our client → the official facilitator scheme", () => {
  it("verifies and settles on the same stand-in", async () => {
    const { devnet, usdc, payer, payTo } = stack;
    const officialAccount = devnet.createAccount();
    const official = new OfficialFacilitator([officialSigner(officialAccount.secret(), "stellar:testnet")], {
      rpcConfig: { url: devnet.rpcUrl },
    });
    const requirements = requirementsOf(stack) as unknown as PaymentRequirements;
    const client = new OurClient(createEd25519Signer(payer.secret(), "stellar:testnet"), {
      url: devnet.rpcUrl,
    });
    const payment = paymentOf(await client.createPaymentPayload(2, requirements), requirements);
    const before = devnet.balance(usdc, payTo.publicKey());

    expect(await official.verify(payment as never, requirements as never)).toEqual({
      isValid: true,
      payer: payer.publicKey(),
    });
    const settled = await official.settle(payment as never, requirements as never);
    expect(settled).toMatchObject({ success: true, payer: payer.publicKey() });
    expect(devnet.balance(usdc, payTo.publicKey())).toBe(before + BigInt(PRICE));
  });

  it("our facilitator's /supported kind carries what the official server copies", async () => {
    const supported = await ours.getSupported();
    expect(supported.kinds).toContainEqual({
      x402Version: 2,
      scheme: "exact",
      network: "stellar:testnet",
      extra: { areFeesSponsored: true },
    });
  });
});

describe("drop-in names", () => {
  for (const subpath of ["", "/exact/client", "/exact/server", "/exact/facilitator"])
    it(`@x402kit/stellar${subpath} exports every name of @x402/stellar${subpath}`, async () => {
      const official = Object.keys(await import(`@x402/stellar${subpath}`));
      const ourNames = Object.keys(await import(`@x402kit/stellar${subpath}`));
      expect(official.length).toBeGreaterThan(0);
      expect(official.filter((name) => !ourNames.includes(name))).toEqual([]);
    });
});
