import { x402HTTPResourceServer } from "@x402kit/core/server";
import * as ours from "@x402kit/hono";
import {
  HonoAdapter,
  paymentMiddleware,
  paymentMiddlewareFromConfig,
  paymentMiddlewareFromHTTPServer,
} from "@x402kit/hono";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerFacilitator, LedgerServer } from "../../core/test/ledgerScheme.js";
import { ledgerResourceServer } from "./support/serve.js";

// The ledger scheme is core's in-memory TEST DOUBLE. These tests run in-process (app.request).
const accepts = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;

describe("@x402kit/hono: drop-in names", () => {
  it("exports every runtime name of the official @x402/hono 2.27", async () => {
    const official = Object.keys(await import("@x402/hono"));
    expect(official.length).toBeGreaterThan(5);
    expect(official.filter((name) => !(name in ours))).toEqual([]);
  });
});

describe("hono: the path that prices is the path hono routes (c.req.path)", () => {
  it("prices the full path of a basePath app and of a sub-app mounted with app.route()", async () => {
    const server = ledgerResourceServer(new LedgerFacilitator());
    const api = new Hono();
    api.get("/report", (c) => c.text("report"));
    const app = new Hono().basePath("/v1");
    app.use(
      paymentMiddleware({ "GET /v1/reports/report": { accepts } }, server, undefined, undefined, false),
    );
    app.route("/reports", api);
    expect((await app.request("/v1/reports/report")).status).toBe(402);
    expect((await app.request("/v1/reports/report/")).status).toBe(402);
    expect((await app.request("/reports/report")).status).toBe(404);
  });

  it("sees decoded paths as hono routes them, and route parameters in dynamic prices", async () => {
    const seen: string[] = [];
    const server = ledgerResourceServer(new LedgerFacilitator());
    const app = new Hono();
    const price = (context: { path: string; adapter: { getPath(): string } }) => {
      seen.push(`${context.path} ${context.adapter.getPath()}`);
      return "$0.01";
    };
    app.use(
      paymentMiddleware(
        { "GET /weather/:city": { accepts: { ...accepts, price } } },
        server,
        undefined,
        undefined,
        false,
      ),
    );
    app.get("/weather/:city", (c) => c.json({ city: c.req.param("city") }));
    expect((await app.request("/weather/%4Cisbon")).status).toBe(402);
    expect(seen).toEqual(["/weather/Lisbon /weather/Lisbon"]);
  });

  it("HonoAdapter reads the request the way official hooks expect", async () => {
    const server = ledgerResourceServer(new LedgerFacilitator());
    let adapter: HonoAdapter | undefined;
    const http = new x402HTTPResourceServer(server, { "POST /form": { accepts } }).onProtectedRequest(
      (context) => {
        adapter = context.adapter as HonoAdapter;
        return { grantAccess: true };
      },
    );
    const app = new Hono();
    app.use(paymentMiddlewareFromHTTPServer(http, undefined, undefined, false));
    app.post("/form", async (c) => c.json(await c.req.json()));
    const response = await app.request("http://shop.test/form?a=1&a=2&b=3", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "user-agent": "probe/1" },
      body: JSON.stringify({ n: 1 }),
    });
    // Granted by the hook; the handler could still read the body the adapter read.
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ n: 1 });
    const a = adapter as HonoAdapter;
    expect(a).toBeInstanceOf(HonoAdapter);
    expect([a.getMethod(), a.getPath(), a.getUrl()]).toEqual([
      "POST",
      "/form",
      "http://shop.test/form?a=1&a=2&b=3",
    ]);
    expect(a.getQueryParams()).toEqual({ a: ["1", "2"], b: "3" });
    expect(a.getQueryParam("b")).toBe("3");
    expect(a.getQueryParam("none")).toBeUndefined();
    expect([a.getAcceptHeader(), a.getUserAgent(), a.getHeader("Content-Type")]).toEqual([
      "application/json",
      "probe/1",
      "application/json",
    ]);
    expect(await a.getBody()).toEqual({ n: 1 });
  });

  it("paymentMiddlewareFromConfig registers the given schemes", async () => {
    const facilitator = (await import("@x402kit/core/facilitator")).x402Facilitator;
    const app = new Hono();
    app.use(
      paymentMiddlewareFromConfig(
        { "GET /paid": { accepts } },
        new facilitator().register(LEDGER_NETWORK, new LedgerFacilitator()),
        [{ network: "test:*", server: new LedgerServer() }],
      ),
    );
    app.get("/paid", (c) => c.text("paid"));
    const response = await app.request("/paid");
    expect(response.status).toBe(402);
    expect(response.headers.get("payment-required")).toBeTruthy();
  });

  it("answers 503 (never a 500) while the facilitator cannot be reached, and recovers", async () => {
    const ledger = new LedgerFacilitator();
    let reachable = false;
    const flaky = {
      getSupported: async () => {
        if (!reachable) throw new Error("connect ECONNREFUSED");
        return {
          kinds: [{ x402Version: 2, scheme: "ledger", network: LEDGER_NETWORK }],
          extensions: [],
          signers: {},
        };
      },
      verify: ledger.verify.bind(ledger),
      settle: ledger.settle.bind(ledger),
    };
    const app = new Hono();
    app.use(
      paymentMiddlewareFromConfig(
        { "GET /paid": { accepts } },
        flaky,
        [{ network: "test:*", server: new LedgerServer() }],
        undefined,
        undefined,
        false,
      ),
    );
    app.get("/paid", (c) => c.text("paid"));
    expect((await app.request("/paid")).status).toBe(503);
    reachable = true;
    expect((await app.request("/paid")).status).toBe(402);
  });
});
