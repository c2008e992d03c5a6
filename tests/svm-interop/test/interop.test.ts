import { createKeyPairSignerFromBytes } from "@solana/kit";
import { x402Client as OfficialClient } from "@x402/core/client";
import { wrapFetchWithPayment as officialWrapFetch } from "@x402/fetch";
import { ExactSvmScheme as OfficialSvmClient } from "@x402/svm/exact/client";
import { x402Client } from "@x402kit/core/client";
import { HTTPFacilitatorClient } from "@x402kit/core/http";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import { ExactSvmScheme as OurSvmClient } from "@x402kit/svm/exact/client";
import { ExactSvmScheme as OurSvmServer } from "@x402kit/svm/exact/server";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, PRICE, type SvmStack, startSvmStack } from "../src/svmStack.js";

let stack: SvmStack;
beforeAll(async () => {
  stack = await startSvmStack();
});
afterAll(() => stack?.stop());

const allowed = () => ({
  allowedAssets: [
    { network: stack.devnet.network, asset: stack.devnet.usdc.address, maxAmountPerPayment: "1000000" },
  ],
});

function ourClient() {
  return new x402Client({ spendControls: allowed() }).register(
    "solana:*",
    new OurSvmClient(stack.devnet.accounts.payer.signer, { rpcUrl: stack.devnet.rpcUrl }),
  );
}

async function officialClient() {
  const client = new OfficialClient();
  // The official package pairs with @solana/kit 5.5.1: its own signer from the same secret key.
  const signer = await createKeyPairSignerFromBytes(stack.devnet.accounts.payer.secretKey);
  // The official registerExactSvmScheme takes no RPC URL: the scheme itself reaches the local chain.
  client.register(
    stack.devnet.network as `${string}:${string}`,
    new OfficialSvmClient(signer, { rpcUrl: stack.devnet.rpcUrl }),
  );
  client.setSpendControls(allowed());
  return client;
}

/** Our express server selling `GET /paid` for PRICE of the devnet's USDC, settling through `facilitatorUrl`. */
async function ourServer(facilitatorUrl: string) {
  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl })).register(
    "solana:*",
    new OurSvmServer({ rpcUrl: stack.devnet.rpcUrl }),
  );
  const app = express();
  app.use(
    paymentMiddleware(
      {
        "GET /paid": {
          accepts: {
            scheme: "exact",
            network: stack.devnet.network,
            payTo: stack.devnet.accounts.payTo.address,
            price: { amount: String(PRICE), asset: stack.devnet.usdc.address },
          },
          description: "svm interop",
          mimeType: "application/json",
        },
      },
      server,
    ),
  );
  app.get("/paid", (_req, res) => res.json({ ok: true }));
  return listen(app);
}

async function balances() {
  const { payer, payTo } = stack.devnet.accounts;
  return {
    payer: await stack.devnet.tokenBalance(payer.address),
    payTo: await stack.devnet.tokenBalance(payTo.address),
  };
}

async function paysExactlyThePrice(pay: () => Promise<Response>) {
  const before = await balances();
  const response = await pay();
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ ok: true });
  const after = await balances();
  expect(before.payer - after.payer).toBe(PRICE);
  expect(after.payTo - before.payTo).toBe(PRICE);
  return response;
}

describe("Solana exact on the litesvm-backed devnet, with the official @x402/svm 2.27", () => {
  it("our client → our express server → our facilitator service (configured from the environment)", async () => {
    const server = await ourServer(stack.ours.url);
    try {
      const response = await paysExactlyThePrice(() =>
        wrapFetchWithPayment(fetch, ourClient())(`${server.url}/paid`),
      );
      expect(getPaymentReceipt(response)).toMatchObject({
        success: true,
        payer: stack.devnet.accounts.payer.address,
      });
    } finally {
      await server.close();
    }
  });

  it("the official client pays our server and our facilitator", async () => {
    const server = await ourServer(stack.ours.url);
    try {
      const client = await officialClient();
      await paysExactlyThePrice(() => officialWrapFetch(fetch, client)(`${server.url}/paid`));
    } finally {
      await server.close();
    }
  });

  it("our client pays through the official facilitator scheme", async () => {
    const server = await ourServer(stack.official.url);
    try {
      await paysExactlyThePrice(() => wrapFetchWithPayment(fetch, ourClient())(`${server.url}/paid`));
    } finally {
      await server.close();
    }
  });

  it("our facilitator service advertises the solana kinds (v2 and v1) with a fee payer", async () => {
    const supported = (await (await fetch(`${stack.ours.url}/supported`)).json()) as {
      kinds: Array<{ x402Version: number; scheme: string; network: string; extra?: { feePayer?: string } }>;
    };
    const feePayer = stack.devnet.accounts.facilitator.address;
    expect(supported.kinds).toEqual(
      expect.arrayContaining([
        { x402Version: 2, scheme: "exact", network: stack.devnet.network, extra: { feePayer } },
        { x402Version: 1, scheme: "exact", network: "solana-devnet", extra: { feePayer } },
      ]),
    );
  });
});
