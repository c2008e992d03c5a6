import { x402Client as OfficialClient } from "@x402/core/client";
import { x402Facilitator as OfficialFacilitator } from "@x402/core/facilitator";
import { toFacilitatorEvmSigner as officialFacilitatorSigner } from "@x402/evm";
import { registerExactEvmScheme as registerOfficialEvmFacilitator } from "@x402/evm/exact/facilitator";
import { ExactEvmSchemeV1 as OfficialExactEvmSchemeV1 } from "@x402/evm/exact/v1/client";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentResponseHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { x402HTTPResourceServer } from "@x402kit/core/server";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { ExactEvmScheme as ExactEvmFacilitatorScheme } from "@x402kit/evm/exact/facilitator";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402kit/evm/exact/server";
import { registerExactEvmSchemeV1 } from "@x402kit/evm/exact/v1/client";
import { ExactEvmSchemeV1 as ExactEvmFacilitatorV1 } from "@x402kit/evm/exact/v1/facilitator";
import { evmNetworkNameV1 } from "@x402kit/evm/v1";
import { paymentMiddlewareFromHTTPServer, x402ResourceServer } from "@x402kit/express";
import { startFacilitatorServer } from "@x402kit/facilitator";
import { wrapFetchWithPayment } from "@x402kit/fetch";
import express from "express";
import { publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen } from "../src/stack.js";

// Base Sepolia's chain id, so the official v1 code (which knows only its own name table) takes part.
const CHAIN_ID = 84532;
const PRICE = "10000";
let devnet: Devnet;
let ours: x402Facilitator;
let ourService: { url: string; close(): Promise<void> };
let official: OfficialFacilitator;

beforeAll(async () => {
  devnet = await startDevnet({ chainId: CHAIN_ID });
  // The devnet's USDC is not Base Sepolia's known stablecoin: allow it explicitly.
  const v2 = new ExactEvmFacilitatorScheme(
    { walletClient: devnet.walletClient(devnet.accounts.facilitator) },
    { allowedAssets: [devnet.usdc.address] },
  );
  ours = new x402Facilitator()
    .register(v2.network, v2)
    .registerV1("base-sepolia", new ExactEvmFacilitatorV1(v2));
  ourService = await startFacilitatorServer(ours, { port: 0 });
  const officialWallet = devnet.walletClient(devnet.accounts.other).extend(publicActions);
  official = new OfficialFacilitator();
  registerOfficialEvmFacilitator(official, {
    signer: officialFacilitatorSigner({
      ...officialWallet,
      address: devnet.accounts.other.address,
    } as unknown as Parameters<typeof officialFacilitatorSigner>[0]),
    networks: `eip155:${CHAIN_ID}`,
  });
}, 60_000);
afterAll(async () => {
  await ourService?.close();
  await devnet?.stop();
});

const payer = () => privateKeyToAccount(devnet.accounts.payer.privateKey);

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

function ourClient() {
  const client = new x402Client({
    spendControls: {
      allowedAssets: [
        { network: "base-sepolia", asset: devnet.usdc.address, maxAmountPerPayment: "1000000" },
      ],
    },
  });
  return registerExactEvmSchemeV1(client, { signer: payer() });
}

async function balances() {
  return {
    payer: await devnet.balanceOf(devnet.accounts.payer.address),
    payTo: await devnet.balanceOf(devnet.accounts.payTo.address),
  };
}

function expectMoved(before: { payer: bigint; payTo: bigint }, after: { payer: bigint; payTo: bigint }) {
  expect(before.payer - after.payer).toBe(BigInt(PRICE));
  expect(after.payTo - before.payTo).toBe(BigInt(PRICE));
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
    const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: ourService.url })).register(
      "eip155:*",
      new ExactEvmServerScheme(),
    );
    const routes = {
      "GET /paid": {
        accepts: {
          scheme: "exact",
          network: `eip155:${CHAIN_ID}` as const,
          payTo: devnet.accounts.payTo.address,
          price: {
            amount: PRICE,
            asset: devnet.usdc.address,
            extra: { name: devnet.usdc.name, version: devnet.usdc.version },
          },
        },
      },
    };
    const http = new x402HTTPResourceServer(server, routes, { acceptV1: { networkName: evmNetworkNameV1 } });
    const app = express();
    app.use(paymentMiddlewareFromHTTPServer(http));
    app.get("/paid", (_req, res) => res.json({ ok: "v1" }));
    const listening = await listen(app);
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
      const before = await balances();
      const response = await wrapFetchWithPayment(v1Only, ourClient())(`${listening.url}/paid`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: "v1" });
      const receipt = decodePaymentResponseHeader(response.headers.get("x-payment-response") as string);
      expect(receipt).toMatchObject({ success: true, network: "base-sepolia" });
      expectMoved(before, await balances());
    } finally {
      await listening.close();
    }
  });
});
