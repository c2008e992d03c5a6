import { x402Client as OfficialClient, x402HTTPClient as OfficialHTTPClient } from "@x402/core/client";
import {
  HTTPFacilitatorClient as OfficialFacilitatorClient,
  x402ResourceServer as OfficialResourceServer,
} from "@x402/core/server";
import { registerExactEvmScheme as registerOfficialEvmClient } from "@x402/evm/exact/client";
import { registerExactEvmScheme as registerOfficialEvmServer } from "@x402/evm/exact/server";
import { paymentMiddleware as officialPaymentMiddleware } from "@x402/express";
import { wrapFetchWithPayment as officialWrapFetch } from "@x402/fetch";
import type { PaymentPayload } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { decodePaymentRequiredHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { ExactEvmScheme as OurExactEvmScheme } from "@x402kit/evm/exact/client";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402kit/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InteropStack, listen, PRICE, paidRoute, startInteropStack } from "../src/stack.js";

let stack: InteropStack;
beforeAll(async () => {
  stack = await startInteropStack();
});
afterAll(() => stack?.stop());

const route = () => paidRoute(stack, { description: "interop", mimeType: "application/json" });

function officialClient() {
  const client = new OfficialClient();
  registerOfficialEvmClient(client, { signer: stack.payerAccount });
  client.setSpendControls({
    allowedAssets: [
      { network: stack.devnet.network, asset: stack.devnet.usdc.address, maxAmountPerPayment: "1000000" },
    ],
  });
  return client;
}

function ourClient() {
  return new x402Client({
    spendControls: {
      allowedAssets: [
        { network: stack.devnet.network, asset: stack.devnet.usdc.address, maxAmountPerPayment: "1000000" },
      ],
    },
  }).register("eip155:*", new OurExactEvmScheme(stack.payerAccount));
}

async function balances() {
  const { payer, payTo } = stack.devnet.accounts;
  return {
    payer: await stack.devnet.balanceOf(payer.address),
    payTo: await stack.devnet.balanceOf(payTo.address),
  };
}

async function withApp(app: express.Express, run: (url: string) => Promise<void>) {
  const server = await listen(app);
  try {
    await run(server.url);
  } finally {
    await server.close();
  }
}

describe("interop with the official @x402 packages 2.27 on anvil", () => {
  it("official fetch + evm client pays our express server backed by our facilitator", async () => {
    const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: stack.ours.url })).register(
      "eip155:*",
      new ExactEvmServerScheme(),
    );
    const app = express();
    app.use(paymentMiddleware(route(), server));
    app.get("/paid", (_req, res) => res.json({ ok: "ours" }));
    await withApp(app, async (url) => {
      const before = await balances();
      const response = await officialWrapFetch(fetch, officialClient())(`${url}/paid`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: "ours" });
      const receipt = new OfficialHTTPClient(officialClient()).getPaymentSettleResponse((n) =>
        response.headers.get(n),
      );
      expect(receipt).toMatchObject({
        success: true,
        network: stack.devnet.network,
        payer: stack.payerAccount.address,
      });
      const after = await balances();
      expect(before.payer - after.payer).toBe(BigInt(PRICE));
      expect(after.payTo - before.payTo).toBe(BigInt(PRICE));
    });
  });

  it("our fetch client pays an official express server backed by the official facilitator", async () => {
    const server = new OfficialResourceServer(new OfficialFacilitatorClient({ url: stack.official.url }));
    registerOfficialEvmServer(server);
    const app = express();
    app.use(officialPaymentMiddleware(route(), server));
    app.get("/paid", (_req, res) => res.json({ ok: "official" }));
    await withApp(app, async (url) => {
      const before = await balances();
      const response = await wrapFetchWithPayment(fetch, ourClient())(`${url}/paid`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: "official" });
      expect(getPaymentReceipt(response)).toMatchObject({ success: true, payer: stack.payerAccount.address });
      const after = await balances();
      expect(before.payer - after.payer).toBe(BigInt(PRICE));
    });
  });

  it("our 402 is understood by the official client and theirs by ours", async () => {
    const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: stack.ours.url })).register(
      "eip155:*",
      new ExactEvmServerScheme(),
    );
    const app = express();
    app.use(paymentMiddleware(route(), server));
    await withApp(app, async (url) => {
      const unpaid = await fetch(`${url}/paid`);
      const theirs = new OfficialHTTPClient(officialClient()).getPaymentRequiredResponse((n) =>
        unpaid.headers.get(n),
      );
      expect(theirs).toEqual(decodePaymentRequiredHeader(unpaid.headers.get("payment-required")!));
    });
  });

  describe("facilitators across implementations", () => {
    async function requiredFor(): Promise<Parameters<OfficialClient["createPaymentPayload"]>[0]> {
      return {
        x402Version: 2,
        resource: { url: "http://shop.test/paid", description: "", mimeType: "" },
        accepts: [
          {
            scheme: "exact",
            network: stack.devnet.network,
            amount: PRICE,
            asset: stack.devnet.usdc.address,
            payTo: stack.devnet.accounts.payTo.address,
            maxTimeoutSeconds: 300,
            extra: stack.price.extra,
          },
        ],
      };
    }

    it("our facilitator verifies and settles a payload made by the official client", async () => {
      const required = await requiredFor();
      const payload = (await officialClient().createPaymentPayload(required)) as unknown as PaymentPayload;
      const requirements = payload.accepted;
      expect(await stack.ours.engine.verify(payload, requirements)).toEqual({
        isValid: true,
        payer: stack.payerAccount.address,
      });
      const before = await balances();
      const settled = await stack.ours.engine.settle(payload, requirements);
      expect(settled).toMatchObject({
        success: true,
        payer: stack.payerAccount.address,
        network: stack.devnet.network,
      });
      expect((await balances()).payTo - before.payTo).toBe(BigInt(PRICE));
      expect((await stack.ours.engine.verify(payload, requirements)).invalidReason).toBe(
        "invalid_exact_evm_nonce_already_used",
      );
    });

    it("the official facilitator verifies and settles a payload made by our client", async () => {
      const required = await requiredFor();
      const payload = await ourClient().createPaymentPayload(required as never);
      const requirements = payload.accepted as never;
      const verified = await stack.official.engine.verify(payload as never, requirements);
      expect(verified).toMatchObject({ isValid: true, payer: stack.payerAccount.address });
      const before = await balances();
      const settled = await stack.official.engine.settle(payload as never, requirements);
      expect(settled).toMatchObject({ success: true, payer: stack.payerAccount.address });
      expect((await balances()).payTo - before.payTo).toBe(BigInt(PRICE));
      const replay = await stack.official.engine.verify(payload as never, requirements);
      expect(replay).toMatchObject({ isValid: false, invalidReason: "invalid_exact_evm_nonce_already_used" });
    });

    it("both facilitators answer /supported with the devnet kind", async () => {
      for (const url of [stack.ours.url, stack.official.url]) {
        const supported = await (await fetch(`${url}/supported`)).json();
        expect(supported.kinds).toContainEqual(
          expect.objectContaining({ x402Version: 2, scheme: "exact", network: stack.devnet.network }),
        );
      }
    });
  });
});
