import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentResponseHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { x402HTTPResourceServer } from "@x402kit/core/server";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { ExactEvmScheme as ExactEvmFacilitatorScheme } from "@x402kit/evm/exact/facilitator";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402kit/evm/exact/server";
import { registerExactEvmSchemeV1 } from "@x402kit/evm/exact/v1/client";
import { ExactEvmSchemeV1 } from "@x402kit/evm/exact/v1/facilitator";
import { evmNetworkNameV1 } from "@x402kit/evm/v1";
import { paymentMiddlewareFromHTTPServer, x402ResourceServer } from "@x402kit/express";
import { startFacilitatorServer } from "@x402kit/facilitator";
import { wrapFetchWithPayment } from "@x402kit/fetch";
import express from "express";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paymentMiddleware as legacyPaymentMiddleware } from "x402-express";
import { wrapFetchWithPayment as legacyWrapFetch } from "x402-fetch";

// The legacy packages know only their own v1 names: the devnet runs under Base Sepolia's chain id.
const CHAIN_ID = 84532;
const PRICE = "10000";
let devnet: Devnet;
let facilitatorService: { url: string; close(): Promise<void> };

beforeAll(async () => {
  devnet = await startDevnet({ chainId: CHAIN_ID });
  // The devnet's USDC is not Base Sepolia's known stablecoin: allow it explicitly.
  const v2 = new ExactEvmFacilitatorScheme(
    { walletClient: devnet.walletClient(devnet.accounts.facilitator) },
    { allowedAssets: [devnet.usdc.address] },
  );
  const engine = new x402Facilitator()
    .register(v2.network, v2)
    .registerV1("base-sepolia", new ExactEvmSchemeV1(v2));
  facilitatorService = await startFacilitatorServer(engine, { port: 0 });
}, 60_000);
afterAll(async () => {
  await facilitatorService?.close();
  await devnet?.stop();
});

async function listen(app: express.Express) {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
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

describe("the legacy official x402 1.2 packages on anvil", () => {
  it("our client pays an x402-express 1.2 server (v1 402 body, X-PAYMENT) settled by our facilitator", async () => {
    const app = express();
    app.use(
      legacyPaymentMiddleware(
        devnet.accounts.payTo.address,
        {
          "GET /paid": {
            price: {
              amount: PRICE,
              asset: {
                address: devnet.usdc.address,
                decimals: 6,
                eip712: { name: devnet.usdc.name, version: devnet.usdc.version },
              },
            },
            network: "base-sepolia",
          },
        },
        { url: facilitatorService.url as `${string}://${string}` },
      ) as unknown as express.RequestHandler,
    );
    app.get("/paid", (_req, res) => res.json({ ok: "legacy" }));
    const server = await listen(app);
    try {
      const client = registerExactEvmSchemeV1(
        new x402Client({
          spendControls: {
            allowedAssets: [
              { network: "base-sepolia", asset: devnet.usdc.address, maxAmountPerPayment: "1000000" },
            ],
          },
        }),
        { signer: privateKeyToAccount(devnet.accounts.payer.privateKey) },
      );
      const before = await balances();
      const response = await wrapFetchWithPayment(fetch, client)(`${server.url}/paid`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: "legacy" });
      const receipt = decodePaymentResponseHeader(response.headers.get("x-payment-response") as string);
      expect(receipt).toMatchObject({ success: true, network: "base-sepolia" });
      expectMoved(before, await balances());
    } finally {
      await server.close();
    }
  });

  it("x402-fetch 1.2 pays our express server's v1 opt-in", async () => {
    const resourceServer = new x402ResourceServer(
      new HTTPFacilitatorClient({ url: facilitatorService.url }),
    ).register("eip155:*", new ExactEvmServerScheme());
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
    const http = new x402HTTPResourceServer(resourceServer, routes, {
      acceptV1: { networkName: evmNetworkNameV1 },
    });
    const app = express();
    app.use(paymentMiddlewareFromHTTPServer(http));
    app.get("/paid", (_req, res) => res.json({ ok: "ours" }));
    const server = await listen(app);
    try {
      const wallet = devnet.walletClient(devnet.accounts.payer);
      const before = await balances();
      const response = await legacyWrapFetch(fetch, wallet as never)(`${server.url}/paid`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: "ours" });
      const receipt = decodePaymentResponseHeader(response.headers.get("x-payment-response") as string);
      expect(receipt).toMatchObject({ success: true, network: "base-sepolia" });
      expectMoved(before, await balances());
    } finally {
      await server.close();
    }
  });
});
