import { x402Client as OfficialClient } from "@x402/core/client";
import { x402Facilitator as OfficialFacilitator } from "@x402/core/facilitator";
import { registerExactEvmScheme as registerOfficialEvmFacilitator } from "@x402/evm/exact/facilitator";
import { ExactEvmSchemeV1 as OfficialExactEvmSchemeV1 } from "@x402/evm/exact/v1/client";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import type { x402Facilitator } from "@x402kit/core/facilitator";
import type { Devnet } from "@x402kit/devnet";
import { wrapFetchWithPayment } from "@x402kit/fetch";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { officialEvmFacilitatorSigner } from "../src/officialSigner.js";
import {
  V1_CHAIN_ID as CHAIN_ID,
  expectPriceMoved as expectMoved,
  expectPaidV1,
  ourV1Client,
  V1_PRICE as PRICE,
  serveV1OptIn,
  startV1Stack,
  type V1Stack,
} from "../src/v1Stack.js";

let stack: V1Stack;
let devnet: Devnet;
let ours: x402Facilitator;
let official: OfficialFacilitator;

beforeAll(async () => {
  stack = await startV1Stack();
  devnet = stack.devnet;
  ours = stack.engine;
  official = new OfficialFacilitator();
  registerOfficialEvmFacilitator(official, {
    signer: officialEvmFacilitatorSigner(devnet, devnet.accounts.other),
    networks: `eip155:${CHAIN_ID}`,
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const payer = () => privateKeyToAccount(devnet.accounts.payer.privateKey);
const ourClient = () => ourV1Client(devnet);
const balances = () => stack.balances();

function v1Requirements(): PaymentRequirements {
  return {
    scheme: "exact",
    network: "base-sepolia",
    maxAmountRequired: PRICE,
    resource: "http://localhost/paid",
    description: "v1",
    mimeType: "application/json",
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 120,
    asset: devnet.usdc.address,
    extra: { name: devnet.usdc.name, version: devnet.usdc.version },
  } as unknown as PaymentRequirements;
}

describe("x402 v1 for EVM exact, on anvil (chain 84532)", () => {
  it("our v1 client's payload verifies and settles on the official 2.27 facilitator's v1 path", async () => {
    const payload = await ourClient().createPaymentPayload({
      x402Version: 1,
      error: "X-PAYMENT header is required",
      accepts: [v1Requirements() as never],
    });
    expect(payload).toMatchObject({ x402Version: 1, scheme: "exact", network: "base-sepolia" });
    const before = await balances();
    const verified = await official.verify(payload as never, v1Requirements() as never);
    expect(verified).toMatchObject({ isValid: true, payer: devnet.accounts.payer.address });
    const settled = await official.settle(payload as never, v1Requirements() as never);
    expect(settled).toMatchObject({ success: true, network: "base-sepolia" });
    expectMoved(before, await balances());
  });

  it("the official v1 client's payload verifies and settles on our facilitator's v1 path, once", async () => {
    const client = new OfficialClient().registerV1("base-sepolia", new OfficialExactEvmSchemeV1(payer()));
    client.setSpendControls(false);
    const payload = (await client.createPaymentPayload({
      x402Version: 1,
      error: "",
      accepts: [v1Requirements() as never],
    } as never)) as unknown as PaymentPayload;
    expect(payload.x402Version).toBe(1);
    const before = await balances();
    expect(await ours.verify(payload, v1Requirements())).toMatchObject({ isValid: true });
    const settled = await ours.settle(payload, v1Requirements());
    expect(settled).toMatchObject({ success: true, network: "base-sepolia" });
    expectMoved(before, await balances());
    const settledBalances = await balances();
    const replay = await ours.settle(payload, v1Requirements());
    expect(replay.success).toBe(false);
    expect(await balances()).toEqual(settledBalances);
  });

  it("our facilitator's v1 path refuses a tampered amount and a payload for another network", async () => {
    const payload = await ourClient().createPaymentPayload({
      x402Version: 1,
      accepts: [v1Requirements() as never],
    });
    const dearer = { ...v1Requirements(), maxAmountRequired: "20000" } as unknown as PaymentRequirements;
    expect(await ours.verify(payload, dearer)).toMatchObject({
      isValid: false,
      invalidReason: "invalid_exact_evm_payload_authorization_value_mismatch",
    });
    const elsewhere = { ...payload, network: "base" };
    expect(await ours.verify(elsewhere, v1Requirements())).toMatchObject({
      isValid: false,
      invalidReason: "invalid_exact_evm_network_mismatch",
    });
  });

  it("our client pays our express server's v1 opt-in (X-PAYMENT → v2 facilitator, X-PAYMENT-RESPONSE)", async () => {
    const listening = await serveV1OptIn(stack, { ok: "v1" });
    try {
      const unpaid = await fetch(`${listening.url}/paid`);
      expect(unpaid.status).toBe(402);
      const body = await unpaid.json();
      expect(body).toMatchObject({
        x402Version: 1,
        accepts: [{ scheme: "exact", network: "base-sepolia", maxAmountRequired: PRICE }],
      });
      expect(unpaid.headers.get("payment-required")).toBeTruthy();

      // A client that only speaks v1: it never sees the v2 header.
      const v1Only = (input: RequestInfo | URL, init?: RequestInit) =>
        fetch(input, init).then((r) => {
          const headers = new Headers(r.headers);
          headers.delete("payment-required");
          return new Response(r.body, { status: r.status, headers });
        });
      await expectPaidV1(stack, () => wrapFetchWithPayment(v1Only, ourClient())(`${listening.url}/paid`), {
        ok: "v1",
      });
    } finally {
      await listening.close();
    }
  });
});
