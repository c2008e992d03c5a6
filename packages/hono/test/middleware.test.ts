import { x402Client, x402HTTPClient } from "@x402kit/core/client";
import { decodeHeaderJson, decodePaymentResponseHeader } from "@x402kit/core/http";
import { paymentMiddleware } from "@x402kit/hono";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerClient, LedgerFacilitator } from "../../core/test/ledgerScheme.js";
import { ledgerResourceServer, listen, type Served } from "./support/serve.js";

// The ledger scheme is core's in-memory TEST DOUBLE; chain-backed runs are in tests/adapters.
const option = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("paymentMiddleware (hono)", () => {
  const ledger = new LedgerFacilitator();
  let served: Served;
  let base: string;
  let handlerRuns = 0;
  const client = new x402HTTPClient(new x402Client().register("test:*", new LedgerClient("alice")));

  beforeAll(async () => {
    const app = new Hono();
    app.onError((_error, c) => c.text("handler failed", 500));
    app.use(
      paymentMiddleware(
        {
          "GET /paid": { accepts: option },
          "GET /fails": { accepts: option },
          "GET /throws": { accepts: option },
          "GET /slow": { accepts: option },
          "GET /empty": { accepts: option },
          "GET /proxy": { accepts: option },
          "GET /proxy-upfront": { accepts: option, settlementPhase: "before-handler" },
        },
        ledgerResourceServer(ledger),
      ),
    );
    app.get("/paid", (c) => {
      handlerRuns += 1;
      return c.json({ secret: "paid content" });
    });
    app.get("/fails", (c) => c.json({ error: "upstream down" }, 503));
    app.get("/throws", () => {
      throw new Error("handler bug");
    });
    app.get("/slow", async (c) => {
      await sleep(150);
      handlerRuns += 1;
      return c.json({ done: true });
    });
    app.get("/empty", (c) => c.body(null, 204));
    app.get("/free", (c) => c.text("free"));
    // A fetch() response has immutable headers: the receipt must still get on it.
    app.get("/proxy", () => fetch(`${base}/free`));
    app.get("/proxy-upfront", () => fetch(`${base}/free`));
    served = await listen(app);
    base = served.base;
  });
  afterAll(() => served.close());
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
    expect(response.headers.get("cache-control")).toBe("no-store");
    const required = decodeHeaderJson(response.headers.get("payment-required") as string) as {
      resource: { url: string };
      error: string;
    };
    expect(required.resource.url).toBe(`${base}/paid?q=1`);
    expect(required.error).toBe("Payment required");
    expect(await response.json()).toEqual({});
    expect(handlerRuns).toBe(0);
  });

  it("serves paid content with a receipt and charges once", async () => {
    const response = await fetch(`${base}/paid`, { headers: await paymentHeaders("/paid") });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ secret: "paid content" });
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: true,
      payer: "alice",
    });
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });

  it("settles a body-less 204 answer", async () => {
    const response = await fetch(`${base}/empty`, { headers: await paymentHeaders("/empty") });
    expect(response.status).toBe(204);
    expect(response.headers.get("payment-response")).toBeTruthy();
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });

  it("does not charge when the handler answers ≥ 400, and passes its answer through", async () => {
    const response = await fetch(`${base}/fails`, { headers: await paymentHeaders("/fails") });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: "upstream down" });
    expect(response.headers.get("payment-response")).toBeNull();
    expect(ledger.balances.get("merchant")).toBeUndefined();
  });

  it("does not charge when the handler throws (hono's error handler answers)", async () => {
    const headers = await paymentHeaders("/throws");
    const settlesBefore = ledger.calls.settle;
    const response = await fetch(`${base}/throws`, { headers });
    expect(response.status).toBe(500);
    expect(response.headers.get("payment-response")).toBeNull();
    expect(ledger.balances.get("merchant")).toBeUndefined();
    // Released, not consumed: the same payment can be tried again.
    expect((await fetch(`${base}/throws`, { headers })).status).toBe(500);
    expect(ledger.calls.settle).toBe(settlesBefore);
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
      expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
        success: false,
        errorReason: "insufficient_funds",
      });
      expect(handlerRuns).toBe(1);
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
    await sleep(300);
    expect(handlerRuns).toBe(1);
    expect(ledger.balances.get("merchant")).toBe(10_000n);
    const again = await fetch(`${base}/slow`, { headers });
    expect(again.status).toBe(402);
    expect(handlerRuns).toBe(1);
  });

  it.each(["/proxy", "/proxy-upfront"])("adds the receipt to a proxied fetch() answer (%s)", async (path) => {
    const response = await fetch(base + path, { headers: await paymentHeaders(path) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("free");
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string).success).toBe(
      true,
    );
  });

  it("prices HEAD of a priced GET", async () => {
    const response = await fetch(`${base}/paid`, { method: "HEAD" });
    expect(response.status).toBe(402);
    expect(response.headers.get("payment-required")).toBeTruthy();
    expect(handlerRuns).toBe(0);
  });
});
