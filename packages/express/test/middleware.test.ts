import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { x402Client, x402HTTPClient } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodeHeaderJson, decodePaymentResponseHeader } from "@x402kit/core/http";
import { x402ResourceServer } from "@x402kit/core/server";
import { paymentMiddleware } from "@x402kit/express";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  LEDGER_NETWORK,
  LedgerClient,
  LedgerFacilitator,
  LedgerServer,
} from "../../core/test/ledgerScheme.js";

// The ledger scheme is core's in-memory TEST DOUBLE; chain-backed runs are in tests/interop.
const option = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;

describe("paymentMiddleware (express)", () => {
  const ledger = new LedgerFacilitator();
  let server: Server;
  let base: string;
  let handlerRuns = 0;
  const client = new x402HTTPClient(new x402Client().register("test:*", new LedgerClient("alice")));

  beforeAll(async () => {
    const resourceServer = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, ledger),
    ).register("test:*", new LedgerServer());
    const app = express();
    app.use(
      paymentMiddleware(
        {
          "GET /paid": { accepts: option },
          "GET /fails": { accepts: option },
          "GET /stream": { accepts: option },
          "GET /slow": { accepts: option },
          "GET /twice": { accepts: option },
        },
        resourceServer,
      ),
    );
    app.get("/paid", (_req, res) => {
      handlerRuns += 1;
      res.json({ secret: "paid content" });
    });
    app.get("/fails", (_req, res) => {
      res.status(503).json({ error: "upstream down" });
    });
    app.get("/stream", (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("part1 ");
      setTimeout(() => res.end("part2"), 10);
    });
    app.get("/slow", (_req, res) => {
      setTimeout(() => {
        handlerRuns += 1;
        res.json({ done: true });
      }, 150);
    });
    app.get("/twice", (_req, res) => {
      res.json({ first: true });
      res.end();
    });
    app.get("/free", (_req, res) => res.send("free"));
    await new Promise<void>((resolve) => {
      server = app.listen(0, "127.0.0.1", () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    ledger.balances.set("alice", 1_000_000n);
    ledger.balances.delete("merchant");
    ledger.settleDelayMs = 0;
    handlerRuns = 0;
  });

  async function paymentHeaders(path: string) {
    const unpaid = await fetch(base + path);
    expect(unpaid.status).toBe(402);
    return client.createPaymentHeaders(client.getPaymentRequiredResponse((n) => unpaid.headers.get(n)));
  }

  it("passes free routes untouched", async () => {
    expect(await (await fetch(`${base}/free`)).text()).toBe("free");
  });

  it("answers 402 with PAYMENT-REQUIRED whose resource is the request URL", async () => {
    const response = await fetch(`${base}/paid?q=1`);
    expect(response.status).toBe(402);
    const required = decodeHeaderJson(response.headers.get("payment-required")!) as {
      resource: { url: string };
    };
    expect(required.resource.url).toBe(`${base}/paid?q=1`);
    expect(await response.json()).toEqual({});
  });

  it("serves paid content with a receipt and charges once", async () => {
    const response = await fetch(`${base}/paid`, { headers: await paymentHeaders("/paid") });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ secret: "paid content" });
    expect(decodePaymentResponseHeader(response.headers.get("payment-response")!)).toMatchObject({
      success: true,
      payer: "alice",
    });
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });

  it("holds streamed output until settlement and then delivers all of it", async () => {
    ledger.settleDelayMs = 30;
    const response = await fetch(`${base}/stream`, { headers: await paymentHeaders("/stream") });
    expect(response.status).toBe(200);
    expect(response.headers.get("payment-response")).toBeTruthy();
    expect(await response.text()).toBe("part1 part2");
  });

  it("does not charge when the handler fails", async () => {
    const response = await fetch(`${base}/fails`, { headers: await paymentHeaders("/fails") });
    expect(response.status).toBe(503);
    expect(response.headers.get("payment-response")).toBeNull();
    expect(ledger.balances.get("merchant")).toBeUndefined();
  });

  it("withholds the handler output when settlement fails", async () => {
    const headers = await paymentHeaders("/paid");
    ledger.settle = async (_p, req) => ({
      success: false,
      errorReason: "insufficient_funds",
      transaction: "",
      network: req.network,
    });
    try {
      const response = await fetch(`${base}/paid`, { headers });
      expect(response.status).toBe(402);
      expect(await response.text()).not.toContain("paid content");
      expect(decodePaymentResponseHeader(response.headers.get("payment-response")!)).toMatchObject({
        success: false,
        errorReason: "insufficient_funds",
      });
    } finally {
      ledger.settle = LedgerFacilitator.prototype.settle;
    }
  });

  it("runs the handler and moves money once for 20 concurrent copies of one payment", async () => {
    ledger.settleDelayMs = 20;
    const headers = await paymentHeaders("/paid");
    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${base}/paid`, { headers })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(402)]);
    expect(handlerRuns).toBe(1);
    expect(ledger.balances.get("merchant")).toBe(10_000n);
    const replay = await fetch(`${base}/paid`, { headers });
    expect(replay.status).toBe(402);
    expect(await replay.json()).toMatchObject({ error: "invalid_ledger_nonce_used" });
  });

  it("never answers 500 to malformed payment headers", async () => {
    for (const value of ["%%%", "e30=", "bnVsbA==", "W10=", "A".repeat(10_000)]) {
      const response = await fetch(`${base}/paid`, { headers: { "PAYMENT-SIGNATURE": value } });
      expect([400, 431]).toContain(response.status);
    }
    expect(handlerRuns).toBe(0);
  });

  it("charges once for work finished after the client went away, and the same payment cannot buy it again", async () => {
    const headers = await paymentHeaders("/slow");
    const aborted = fetch(`${base}/slow`, { headers, signal: AbortSignal.timeout(30) }).catch(
      (e: Error) => e.name,
    );
    expect(await aborted).toBe("TimeoutError");
    await new Promise((r) => setTimeout(r, 300));
    expect(handlerRuns).toBe(1);
    expect(ledger.balances.get("merchant")).toBe(10_000n);
    const again = await fetch(`${base}/slow`, { headers });
    expect(again.status).toBe(402);
    expect(handlerRuns).toBe(1);
  });

  it("settles once when a handler ends its response twice", async () => {
    const response = await fetch(`${base}/twice`, { headers: await paymentHeaders("/twice") });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ first: true });
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });
});
