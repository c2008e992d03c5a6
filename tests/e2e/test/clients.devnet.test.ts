import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import {
  HTTPFacilitatorClient as OfficialFacilitatorClient,
  x402ResourceServer as OfficialResourceServer,
} from "@x402/core/server";
import { registerExactEvmScheme as registerOfficialEvmServer } from "@x402/evm/exact/server";
import { paymentMiddleware as officialExpressMiddleware } from "@x402/express";
import { paymentMiddleware as officialHonoMiddleware } from "@x402/hono";
import { getPaymentReceipt as axiosReceipt, wrapAxiosWithPayment } from "@x402kit/axios";
import type { SettleResponse } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { decodePaymentRequiredHeader } from "@x402kit/core/http";
import { testUsdcAbi } from "@x402kit/devnet";
import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import { getPaymentReceipt as fetchReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import axios, { AxiosError } from "axios";
import express from "express";
import { Hono } from "hono";
import { type Hash, parseEventLogs } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer, type InteropStack, listen, PRICE, paidRoute, startInteropStack } from "../src/stack.js";

// Our paying clients (@x402kit/fetch, @x402kit/axios) against the OFFICIAL servers
// (@x402/express, @x402/hono 2.27) backed by the official facilitator engine, on anvil.

let stack: InteropStack;
const servers: Record<string, string> = {};
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  stack = await startInteropStack();
  servers["@x402/express"] = await startOfficialExpress();
  servers["@x402/hono"] = await startOfficialHono();
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  await stack?.stop();
});

/** `GET /paid` and `POST /echo`, both at {@link PRICE}. */
function routes() {
  const paid = paidRoute(stack)["GET /paid"];
  return { "GET /paid": paid, "POST /echo": paid };
}

function officialResourceServer() {
  const server = new OfficialResourceServer(new OfficialFacilitatorClient({ url: stack.official.url }));
  registerOfficialEvmServer(server);
  return server;
}

async function startOfficialExpress(): Promise<string> {
  const app = express();
  app.use(officialExpressMiddleware(routes(), officialResourceServer()));
  app.get("/paid", (_req, res) => res.json({ from: "express" }));
  app.post("/echo", express.json(), (req, res) => res.json({ from: "express", received: req.body }));
  const server = await listen(app);
  stops.push(server.close);
  return server.url;
}

async function startOfficialHono(): Promise<string> {
  const app = new Hono();
  app.use(officialHonoMiddleware(routes(), officialResourceServer()));
  app.get("/paid", (c) => c.json({ from: "hono" }));
  app.post("/echo", async (c) => c.json({ from: "hono", received: await c.req.json() }));
  const port = await new Promise<number>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve(info.port),
    );
    stops.push(() => closeServer(server as Parameters<typeof closeServer>[0]));
  });
  return `http://127.0.0.1:${port}`;
}

function payingClient(account = stack.payerAccount) {
  return new x402Client({
    spendControls: {
      allowedAssets: [
        { network: stack.devnet.network, asset: stack.devnet.usdc.address, maxAmountPerPayment: "1000000" },
      ],
    },
  }).register("eip155:*", new ExactEvmScheme(account));
}

interface PaidAnswer {
  status: number;
  body: unknown;
  receipt: SettleResponse | undefined;
}
type Call = (url: string, body?: object) => Promise<PaidAnswer>;

const clients: Record<string, Call> = {
  "@x402kit/fetch": async (url, body) => {
    const pay = wrapFetchWithPayment(fetch, payingClient());
    const response = await pay(
      url,
      body
        ? { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }
        : {},
    );
    return { status: response.status, body: await response.json(), receipt: fetchReceipt(response) };
  },
  "@x402kit/axios": async (url, body) => {
    const api = wrapAxiosWithPayment(axios.create(), payingClient());
    const response = body ? await api.post(url, body) : await api.get(url);
    return { status: response.status, body: response.data, receipt: axiosReceipt(response) };
  },
};

async function balances() {
  const { payer, payTo } = stack.devnet.accounts;
  return {
    payer: await stack.devnet.balanceOf(payer.address),
    payTo: await stack.devnet.balanceOf(payTo.address),
  };
}

/** The USDC moved from payer to payTo by `hash`, read from its Transfer events. */
async function transferred(hash: string): Promise<bigint> {
  const receipt = await stack.devnet.publicClient.getTransactionReceipt({ hash: hash as Hash });
  const { payer, payTo } = stack.devnet.accounts;
  return parseEventLogs({ abi: testUsdcAbi, logs: receipt.logs, eventName: "Transfer" })
    .filter(
      (log) =>
        log.address.toLowerCase() === stack.devnet.usdc.address.toLowerCase() &&
        log.args.from.toLowerCase() === payer.address.toLowerCase() &&
        log.args.to.toLowerCase() === payTo.address.toLowerCase(),
    )
    .reduce((sum, log) => sum + log.args.value, 0n);
}

/** Run one paid call and check the receipt, the on-chain Transfer and both balances exactly. */
async function expectPaidOnce(call: () => Promise<PaidAnswer>): Promise<PaidAnswer> {
  const before = await balances();
  const answer = await call();
  expect(answer.status).toBe(200);
  expect(answer.receipt).toMatchObject({
    success: true,
    network: stack.devnet.network,
    payer: stack.payerAccount.address,
  });
  expect(answer.receipt?.transaction).toMatch(/^0x[0-9a-f]{64}$/);
  expect(await transferred(answer.receipt?.transaction ?? "")).toBe(BigInt(PRICE));
  const after = await balances();
  expect(before.payer - after.payer).toBe(BigInt(PRICE));
  expect(after.payTo - before.payTo).toBe(BigInt(PRICE));
  return answer;
}

describe("our clients pay the official servers on anvil", () => {
  for (const [clientName, call] of Object.entries(clients))
    for (const serverName of ["@x402/express", "@x402/hono"]) {
      const framework = serverName.slice("@x402/".length);
      it(`${clientName} pays ${serverName} for a GET`, async () => {
        const answer = await expectPaidOnce(() => call(`${servers[serverName]}/paid`));
        expect(answer.body).toEqual({ from: framework });
      });

      it(`${clientName} pays ${serverName} for a POST, re-sending its body`, async () => {
        const order = { item: "book", qty: 2, note: "ünïcode" };
        const answer = await expectPaidOnce(() => call(`${servers[serverName]}/echo`, order));
        expect(answer.body).toEqual({ from: framework, received: order });
      });
    }
});

describe("a refused payment comes back as the official server's 402", () => {
  // A fresh account holds no USDC: the official facilitator refuses it at verification.
  const broke = () => payingClient(privateKeyToAccount(generatePrivateKey()));

  for (const serverName of ["@x402/express", "@x402/hono"]) {
    it(`@x402kit/fetch returns ${serverName}'s 402 and moves nothing`, async () => {
      const before = await balances();
      const response = await wrapFetchWithPayment(fetch, broke())(`${servers[serverName]}/paid`);
      expect(response.status).toBe(402);
      const reason = decodePaymentRequiredHeader(response.headers.get("payment-required") ?? "").error;
      expect(reason).toMatch(/insufficient/);
      expect(await balances()).toEqual(before);
    });

    it(`@x402kit/axios rejects with ${serverName}'s 402 as an AxiosError and moves nothing`, async () => {
      const before = await balances();
      const api = wrapAxiosWithPayment(axios.create(), broke());
      const error = await api.get(`${servers[serverName]}/paid`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AxiosError);
      const response = (error as AxiosError).response;
      expect(response?.status).toBe(402);
      const reason = decodePaymentRequiredHeader(String(response?.headers["payment-required"])).error;
      expect(reason).toMatch(/insufficient/);
      expect(await balances()).toEqual(before);
    });
  }
});
