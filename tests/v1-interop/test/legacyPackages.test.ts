import type { Devnet } from "@x402kit/devnet";
import { listen } from "@x402kit/e2e-tests/httpServer";
import {
  expectPaidV1,
  ourV1Client,
  V1_PRICE as PRICE,
  serveV1OptIn,
  startV1Stack,
  type V1Stack,
} from "@x402kit/e2e-tests/v1Stack";
import { wrapFetchWithPayment } from "@x402kit/fetch";
import express from "express";
import { afterAll, beforeAll, describe, it } from "vitest";
import { paymentMiddleware as legacyPaymentMiddleware } from "x402-express";
import { wrapFetchWithPayment as legacyWrapFetch } from "x402-fetch";

// The legacy packages know only their own v1 names: the devnet runs under Base Sepolia's chain id.
let stack: V1Stack;
let devnet: Devnet;

beforeAll(async () => {
  stack = await startV1Stack();
  devnet = stack.devnet;
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

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
        { url: stack.facilitatorUrl as `${string}://${string}` },
      ) as unknown as express.RequestHandler,
    );
    app.get("/paid", (_req, res) => res.json({ ok: "legacy" }));
    const server = await listen(app);
    try {
      await expectPaidV1(
        stack,
        () => wrapFetchWithPayment(fetch, ourV1Client(devnet))(`${server.url}/paid`),
        {
          ok: "legacy",
        },
      );
    } finally {
      await server.close();
    }
  });

  it("x402-fetch 1.2 pays our express server's v1 opt-in", async () => {
    const server = await serveV1OptIn(stack, { ok: "ours" });
    try {
      const wallet = devnet.walletClient(devnet.accounts.payer);
      await expectPaidV1(stack, () => legacyWrapFetch(fetch, wallet as never)(`${server.url}/paid`), {
        ok: "ours",
      });
    } finally {
      await server.close();
    }
  });
});
