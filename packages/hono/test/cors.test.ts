import { paymentCors, paymentMiddleware } from "@x402kit/hono";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerClient, LedgerFacilitator } from "../../core/test/ledgerScheme.js";
import { ledgerResourceServer, listen, paymentHeaders, type Served } from "./support/serve.js";

// The ledger scheme is core's in-memory TEST DOUBLE; what is under test is paymentCors.
const accepts = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;
const origin = "https://app.example";

describe("hono: paymentCors", () => {
  const ledger = new LedgerFacilitator();
  let served: Served;
  let handlerRuns = 0;

  beforeAll(async () => {
    const app = new Hono();
    app.use(paymentCors({ origin: [origin] }));
    // OPTIONS is priced here too: only paymentCors keeps preflights unpriced.
    app.use(
      paymentMiddleware(
        { "GET /paid": { accepts }, "OPTIONS /paid": { accepts } },
        ledgerResourceServer(ledger),
      ),
    );
    app.all("/paid", (c) => {
      handlerRuns += 1;
      c.header("vary", "Accept-Encoding");
      return c.json({ secret: "paid content" });
    });
    served = await listen(app);
  });
  afterAll(() => served.close());
  beforeEach(() => {
    ledger.balances.set("alice", 1_000_000n);
    handlerRuns = 0;
  });

  it("answers preflights itself with 204, never priced", async () => {
    const response = await fetch(`${served.base}/paid`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "GET",
        "access-control-request-headers": "payment-signature",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("payment-required")).toBeNull();
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    expect(response.headers.get("access-control-allow-headers")).toMatch(/PAYMENT-SIGNATURE/);
    expect(response.headers.get("access-control-max-age")).toBe("600");
    expect(handlerRuns).toBe(0);
  });

  it("a plain OPTIONS (no Access-Control-Request-Method) is not a preflight: priced as the table says", async () => {
    const response = await fetch(`${served.base}/paid`, { method: "OPTIONS", headers: { origin } });
    expect(response.status).toBe(402);
    expect(handlerRuns).toBe(0);
  });

  it("exposes the x402 headers on the 402 and on the paid 200", async () => {
    const unpaid = await fetch(`${served.base}/paid`, { headers: { origin } });
    expect(unpaid.status).toBe(402);
    expect(unpaid.headers.get("access-control-allow-origin")).toBe(origin);
    expect(unpaid.headers.get("access-control-expose-headers")).toMatch(/PAYMENT-REQUIRED/);
    expect(unpaid.headers.get("vary")).toBe("Origin");

    const headers = await paymentHeaders(served.base, "/paid", new LedgerClient("alice"));
    const paid = await fetch(`${served.base}/paid`, { headers: { ...headers, origin } });
    expect(paid.status).toBe(200);
    expect(paid.headers.get("payment-response")).toBeTruthy();
    expect(paid.headers.get("access-control-expose-headers")).toMatch(/PAYMENT-RESPONSE/);
    expect(paid.headers.get("vary")).toBe("Accept-Encoding, Origin");
  });

  it("does not allow an origin outside the list", async () => {
    const response = await fetch(`${served.base}/paid`, { headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(402);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
