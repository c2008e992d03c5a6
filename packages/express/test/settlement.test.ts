import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402kit/core/http";
import { x402HTTPResourceServer, x402ResourceServer } from "@x402kit/core/server";
import {
  ExpressAdapter,
  paymentMiddleware,
  paymentMiddlewareFromHTTPServer,
  SETTLEMENT_OVERRIDES_HEADER,
  setSettlementOverrides,
} from "@x402kit/express";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  LEDGER_NETWORK,
  LedgerClient,
  LedgerFacilitator,
  LedgerServer,
  LedgerUptoFacilitator,
} from "../../core/test/ledgerScheme.js";
import { signFor } from "../../core/test/support/payFor.js";

// The ledger schemes are core's in-memory TEST DOUBLES; what is under test is the adapter.
async function listen(app: express.Express): Promise<{ server: Server; base: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function paymentHeaders(base: string, path: string, client: LedgerClient) {
  const unpaid = await fetch(base + path);
  expect(unpaid.status).toBe(402);
  return signFor(decodePaymentRequiredHeader(unpaid.headers.get("payment-required") as string), client);
}

describe("express: the handler reports what to charge (setSettlementOverrides)", () => {
  const upto = new LedgerUptoFacilitator();
  const client = new LedgerClient("alice", "ledger-upto");
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const resourceServer = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, upto),
    ).register("test:*", new LedgerServer("ledger-upto"));
    const accepts = { scheme: "ledger-upto", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" };
    const app = express();
    app.use(
      paymentMiddleware(
        {
          "GET /metered": { accepts },
          "GET /free-result": { accepts },
          "GET /greedy": { accepts },
          "GET /raw-head": { accepts },
        },
        resourceServer,
      ),
    );
    app.get("/metered", (req, res) => {
      setSettlementOverrides(res, { amount: String(req.query.units ?? "2500") });
      res.json({ tokens: 2500 });
    });
    app.get("/free-result", (_req, res) => {
      setSettlementOverrides(res, { amount: "0" });
      res.json({ cached: true });
    });
    app.get("/raw-head", (_req, res) => {
      // Overrides given straight to writeHead, as code below express would.
      res.writeHead(200, {
        "content-type": "text/plain",
        [SETTLEMENT_OVERRIDES_HEADER]: '{"amount":"1200"}',
      });
      res.end("raw");
    });
    app.get("/greedy", (_req, res) => {
      setSettlementOverrides(res, { amount: "$1" });
      res.json({ secret: "never delivered" });
    });
    ({ server, base } = await listen(app));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    upto.balances.set("alice", 1_000_000n);
    upto.balances.delete("merchant");
    upto.calls.settle = 0;
  });

  it("settles the reported amount below the authorised one and strips the header", async () => {
    const response = await fetch(`${base}/metered`, {
      headers: await paymentHeaders(base, "/metered", client),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ tokens: 2500 });
    expect(response.headers.get(SETTLEMENT_OVERRIDES_HEADER)).toBeNull();
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: true,
      amount: "2500",
    });
    expect(upto.balances.get("merchant")).toBe(2500n);
  });

  it("charges nothing and calls no facilitator for a zero charge", async () => {
    const response = await fetch(`${base}/free-result`, {
      headers: await paymentHeaders(base, "/free-result", client),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ cached: true });
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: true,
      transaction: "",
      amount: "0",
    });
    expect(upto.calls.settle).toBe(0);
    expect(upto.balances.get("merchant")).toBeUndefined();
  });

  it("reads overrides passed to writeHead and keeps them from the client", async () => {
    const response = await fetch(`${base}/raw-head`, {
      headers: await paymentHeaders(base, "/raw-head", client),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("raw");
    expect(response.headers.get(SETTLEMENT_OVERRIDES_HEADER)).toBeNull();
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: true,
      amount: "1200",
    });
    expect(upto.balances.get("merchant")).toBe(1200n);
  });

  it("refuses a charge above the authorised amount: 402, content withheld, nothing moved", async () => {
    const response = await fetch(`${base}/greedy`, {
      headers: await paymentHeaders(base, "/greedy", client),
    });
    expect(response.status).toBe(402);
    expect(await response.text()).not.toContain("never delivered");
    expect(response.headers.get(SETTLEMENT_OVERRIDES_HEADER)).toBeNull();
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: false,
      errorReason: "invalid_settlement_amount",
    });
    expect(upto.calls.settle).toBe(0);
  });
});

describe("express: a paid handler that never ends", () => {
  const ledger = new LedgerFacilitator();
  const client = new LedgerClient("alice");
  let server: Server;
  let base: string;
  let runs = 0;

  beforeAll(async () => {
    ledger.balances.set("alice", 1_000_000n);
    const resourceServer = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, ledger),
    ).register("test:*", new LedgerServer());
    const accepts = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" };
    const http = new x402HTTPResourceServer(
      resourceServer,
      { "GET /hang": { accepts } },
      { inFlightTtlSeconds: 0.3 },
    );
    const app = express();
    app.use(paymentMiddlewareFromHTTPServer(http));
    app.get("/hang", (req, res) => {
      runs += 1;
      // The first request hangs forever; later ones answer.
      if (runs > 1) res.json({ run: runs, adapter: new ExpressAdapter(req).getPath() });
    });
    ({ server, base } = await listen(app));
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("holds its payment only until the TTL, then the same payment can be served", async () => {
    const headers = await paymentHeaders(base, "/hang", client);
    const hung = fetch(`${base}/hang`, { headers, signal: AbortSignal.timeout(100) }).catch(
      (e: Error) => e.name,
    );
    expect(await hung).toBe("TimeoutError");
    const duplicate = await fetch(`${base}/hang`, { headers });
    expect(duplicate.status).toBe(402);
    expect(await duplicate.json()).toMatchObject({ error: "duplicate_settlement" });
    await new Promise((r) => setTimeout(r, 300));
    const served = await fetch(`${base}/hang`, { headers });
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual({ run: 2, adapter: "/hang" });
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });
});

describe("express: the guard's TTL must be a positive number", () => {
  it.each([0, -1, Number.NaN])("inFlightTtlSeconds %s is refused at construction", (ttl) => {
    const resourceServer = new x402ResourceServer(new x402Facilitator());
    expect(() => new x402HTTPResourceServer(resourceServer, {}, { inFlightTtlSeconds: ttl })).toThrow(
      /positive/,
    );
  });
});
