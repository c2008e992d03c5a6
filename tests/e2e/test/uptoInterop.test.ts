import { x402Client as OfficialClient } from "@x402/core/client";
import { x402Facilitator as OfficialFacilitator } from "@x402/core/facilitator";
import {
  HTTPFacilitatorClient as OfficialFacilitatorClient,
  x402ResourceServer as OfficialResourceServer,
} from "@x402/core/server";
import { toClientEvmSigner as officialClientSigner } from "@x402/evm";
import { UptoEvmScheme as OfficialUptoClient } from "@x402/evm/upto/client";
import { UptoEvmScheme as OfficialUptoFacilitator } from "@x402/evm/upto/facilitator";
import { UptoEvmScheme as OfficialUptoServer } from "@x402/evm/upto/server";
import {
  paymentMiddleware as officialPaymentMiddleware,
  setSettlementOverrides as officialSetSettlementOverrides,
} from "@x402/express";
import { declareEip2612GasSponsoringExtension as officialDeclareEip2612 } from "@x402/extensions";
import { wrapFetchWithPayment as officialWrapFetch } from "@x402/fetch";
import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentResponseHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { type Devnet, type DevnetToken, startDevnet } from "@x402kit/devnet";
import { declareEip2612GasSponsoringExtension } from "@x402kit/evm";
import { UptoEvmScheme as UptoClient } from "@x402kit/evm/upto/client";
import { UptoEvmScheme as UptoFacilitator } from "@x402kit/evm/upto/facilitator";
import { UptoEvmScheme as UptoServer } from "@x402kit/evm/upto/server";
import { paymentMiddleware, setSettlementOverrides, x402ResourceServer } from "@x402kit/express";
import { startFacilitatorServer } from "@x402kit/facilitator";
import { wrapFetchWithPayment } from "@x402kit/fetch";
import express from "express";
import { erc20Abi } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveOfficialFacilitator } from "../src/officialFacilitatorHttp.js";
import { officialEvmFacilitatorSigner } from "../src/officialSigner.js";
import { officialPaidApp, ourPaidApp } from "../src/paidApps.js";
import { listen } from "../src/stack.js";

const MAX = "10000";
let devnet: Devnet;
let ours: { url: string; close(): Promise<void> };
let official: { url: string; close(): Promise<void> };

beforeAll(async () => {
  devnet = await startDevnet();
  await devnet.approvePermit2(devnet.accounts.payer, devnet.usdc.address);
  const engine = new x402Facilitator().register(
    devnet.network,
    new UptoFacilitator({ walletClient: devnet.walletClient(devnet.accounts.facilitator) }),
  );
  ours = await startFacilitatorServer(engine, { port: 0 });
  const officialEngine = new OfficialFacilitator().register(
    devnet.network,
    new OfficialUptoFacilitator(officialEvmFacilitatorSigner(devnet, devnet.accounts.other)),
  );
  official = await serveOfficialFacilitator(officialEngine);
}, 60_000);
afterAll(async () => {
  await ours?.close();
  await official?.close();
  await devnet?.stop();
});

const payer = () => privateKeyToAccount(devnet.accounts.payer.privateKey);
const route = () => ({
  "GET /metered": {
    accepts: {
      scheme: "upto",
      network: devnet.network,
      payTo: devnet.accounts.payTo.address,
      price: { amount: MAX, asset: devnet.usdc.address, extra: {} },
    },
  },
});

function ourClient() {
  return new x402Client({ spendControls: false }).register("eip155:*", new UptoClient(payer()));
}
function officialClient() {
  const client = new OfficialClient().register("eip155:*", new OfficialUptoClient(payer()));
  client.setSpendControls(false);
  return client;
}

/** Our express server; the handler charges `used` through settlement overrides. */
const ourApp = (facilitatorUrl: string, used: string) =>
  ourPaidApp(facilitatorUrl, new UptoServer(), {
    routes: route(),
    path: "/metered",
    handler: (_req, res) => {
      setSettlementOverrides(res, { amount: used });
      res.json({ used });
    },
  });

/** The official express server, charging `used` the official way. */
const officialApp = (facilitatorUrl: string, used: string) =>
  officialPaidApp(facilitatorUrl, devnet.network, new OfficialUptoServer(), {
    routes: route(),
    path: "/metered",
    handler: (_req, res) => {
      officialSetSettlementOverrides(res, { amount: used });
      res.json({ used });
    },
  });

async function paid(app: express.Express, pay: (url: string) => Promise<Response>, used: string) {
  const server = await listen(app);
  try {
    const payerBefore = await devnet.balanceOf(devnet.accounts.payer.address);
    const payToBefore = await devnet.balanceOf(devnet.accounts.payTo.address);
    const response = await pay(`${server.url}/metered`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ used });
    const receipt = decodePaymentResponseHeader(response.headers.get("payment-response") as string);
    expect(receipt).toMatchObject({ success: true, amount: used });
    expect(payerBefore - (await devnet.balanceOf(devnet.accounts.payer.address))).toBe(BigInt(used));
    expect((await devnet.balanceOf(devnet.accounts.payTo.address)) - payToBefore).toBe(BigInt(used));
    return receipt;
  } finally {
    await server.close();
  }
}

describe("upto interop with the official @x402/evm 2.27 on anvil", () => {
  it("our client → official server + official facilitator: the handler's charge moves", async () => {
    await paid(
      officialApp(official.url, "4000"),
      (url) => wrapFetchWithPayment(fetch, ourClient())(url),
      "4000",
    );
  });

  it("official client → our server + our facilitator: the handler's charge moves", async () => {
    await paid(ourApp(ours.url, "2500"), (url) => officialWrapFetch(fetch, officialClient())(url), "2500");
  });

  it("official client → official server + our facilitator, charging the whole maximum", async () => {
    await paid(officialApp(ours.url, MAX), (url) => officialWrapFetch(fetch, officialClient())(url), MAX);
  });

  it("our client → our server + official facilitator", async () => {
    await paid(ourApp(official.url, "1"), (url) => wrapFetchWithPayment(fetch, ourClient())(url), "1");
  });

  it("a zero charge through our server sends no transaction (official client)", async () => {
    const block = await devnet.publicClient.getBlockNumber({ cacheTime: 0 });
    const receipt = await paid(
      ourApp(ours.url, "0"),
      (url) => officialWrapFetch(fetch, officialClient())(url),
      "0",
    );
    expect(receipt.transaction).toBe("");
    expect(await devnet.publicClient.getBlockNumber({ cacheTime: 0 })).toBe(block);
  });

  describe("EIP-2612 gas sponsoring (payer without a Permit2 allowance, Permit2-only token)", () => {
    // The devnet's payTo account has tokens but never approved Permit2; it pays `other`.
    const sponsoredRoute = (token: DevnetToken, extensions: Record<string, unknown>) => ({
      "GET /metered": {
        accepts: {
          scheme: "upto",
          network: devnet.network,
          payTo: devnet.accounts.other.address,
          price: { amount: MAX, asset: token.address, extra: { name: token.name, version: token.version } },
        },
        extensions,
      },
    });
    const sponsoredPayer = () => privateKeyToAccount(devnet.accounts.payTo.privateKey);

    async function charged(app: express.Express, pay: (url: string) => Promise<Response>, used: string) {
      const token = devnet.tokens.permit2Usd.address;
      const server = await listen(app);
      try {
        const before = await devnet.balanceOf(devnet.accounts.payTo.address, token);
        const response = await pay(`${server.url}/metered`);
        expect(response.status).toBe(200);
        expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject(
          {
            success: true,
            amount: used,
          },
        );
        expect(before - (await devnet.balanceOf(devnet.accounts.payTo.address, token))).toBe(BigInt(used));
        // Only the payer's EIP-2612 permit for the maximum, applied by settleWithPermit, leaves this allowance.
        const left = await devnet.publicClient.readContract({
          address: token,
          abi: erc20Abi,
          functionName: "allowance",
          args: [devnet.accounts.payTo.address, "0x000000000022D473030F116dDEE9F6B43aC78BA3"],
        });
        expect(left).toBe(BigInt(MAX) - BigInt(used));
      } finally {
        await server.close();
      }
    }

    it("official client (permit added) → official server → our facilitator (settleWithPermit)", async () => {
      const server = new OfficialResourceServer(new OfficialFacilitatorClient({ url: ours.url })).register(
        devnet.network,
        new OfficialUptoServer(),
      );
      const app = express();
      app.use(
        officialPaymentMiddleware(
          sponsoredRoute(devnet.tokens.permit2Usd, officialDeclareEip2612()) as never,
          server,
        ),
      );
      app.get("/metered", (_req, res) => {
        officialSetSettlementOverrides(res, { amount: "1200" });
        res.json({});
      });
      const client = new OfficialClient().register(
        "eip155:*",
        new OfficialUptoClient(officialClientSigner(sponsoredPayer(), devnet.publicClient as never)),
      );
      client.setSpendControls(false);
      await charged(app, (url) => officialWrapFetch(fetch, client)(url), "1200");
    });

    it("our client (permit added) → our server → official facilitator", async () => {
      const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: official.url })).register(
        "eip155:*",
        new UptoServer(),
      );
      const app = express();
      app.use(
        paymentMiddleware(
          sponsoredRoute(devnet.tokens.permit2Usd, declareEip2612GasSponsoringExtension()),
          server,
        ),
      );
      app.get("/metered", (_req, res) => {
        setSettlementOverrides(res, { amount: "800" });
        res.json({});
      });
      const client = new x402Client({ spendControls: false }).register(
        "eip155:*",
        new UptoClient(sponsoredPayer(), { rpcUrl: devnet.rpcUrl }),
      );
      await charged(app, (url) => wrapFetchWithPayment(fetch, client)(url), "800");
    });
  });
});
