// Must run before any Next module loads.
import "./support/nodeEnvironment.js";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402kit/core/http";
import { type RoutesConfig, x402ResourceServer } from "@x402kit/core/server";
import { PAID_SUBREQUEST_HEADER, paymentCors, paymentProxy, withX402 } from "@x402kit/next";
import type { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  LEDGER_NETWORK,
  LedgerClient,
  LedgerFacilitator,
  LedgerServer,
} from "../../core/test/ledgerScheme.js";
import { BYPASS_REQUEST_LINES } from "../../core/test/support/bypassSpellings.js";
import { signFor } from "../../core/test/support/payFor.js";
import { rawRequest } from "../../core/test/support/rawHttp.js";
import { allowsMethod, contractHandlers, PAID_BODY, ROUTE_KEYS } from "./support/contractHandlers.js";
import {
  type NextAppHandlers,
  type RunningNextApp,
  removeBuiltApp,
  startNextApp,
} from "./support/nextApp.js";

// A real Next.js production server (fixture app built with `next build`) routes every request;
// the ledger scheme is core's in-memory TEST DOUBLE standing in for a chain.
const accepts = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;
const routes: RoutesConfig = {
  "GET /paid": { accepts },
  "/api/*": { accepts },
  "GET /fails": { accepts },
  "GET /stream": { accepts },
  "GET /upfront": { accepts, settlementPhase: "before-handler" },
  "GET /weather/:city": {
    accepts: { ...accepts, price: (context) => (context.path.endsWith("/Paris") ? "$0.02" : "$0.01") },
  },
};

type Mode = "proxy" | "withX402";

function handlersFor(mode: Mode, server: x402ResourceServer, hit: (name: string) => void): NextAppHandlers {
  const content = contractHandlers(hit);
  const cors = paymentCors();
  if (mode === "proxy")
    return {
      proxy: cors(paymentProxy(routes, server)),
      route: (name, request, context) =>
        allowsMethod(name, request.method)
          ? (content[name] as (r: NextRequest, c: typeof context) => Promise<Response>)(request, context)
          : new Response(null, { status: 405 }),
    };
  const wrapped = Object.fromEntries(
    Object.entries(content).map(([name, handler]) => {
      const key = ROUTE_KEYS[name];
      const priced = key
        ? withX402(handler, { [key]: routes[key as keyof typeof routes] } as RoutesConfig, server)
        : handler;
      return [name, cors(priced)];
    }),
  );
  // Like Next's own OPTIONS answer (204), with CORS; a preflight never reaches a priced handler.
  const options = cors(async () => new Response(null, { status: 204 }));
  return {
    route: (name, request, context) => {
      if (request.method === "OPTIONS" && name !== "wildcard") return options(request);
      return allowsMethod(name, request.method)
        ? (wrapped[name] as (r: NextRequest, c: typeof context) => Promise<Response>)(request, context)
        : new Response(null, { status: 405 });
    },
  };
}

describe.each<Mode>(["proxy", "withX402"])("@x402kit/next on a real Next.js server (%s)", (mode) => {
  const ledger = new LedgerFacilitator();
  const client = new LedgerClient("alice");
  const hits: string[] = [];
  let app: RunningNextApp;
  let settledAt: number | undefined;

  beforeAll(async () => {
    const server = new x402ResourceServer(new x402Facilitator().register(LEDGER_NETWORK, ledger)).register(
      "test:*",
      new LedgerServer(),
    );
    app = await startNextApp(handlersFor(mode, server, (name) => hits.push(name)));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (mode === "withX402") await removeBuiltApp();
  });
  beforeEach(() => {
    ledger.balances.set("alice", 1_000_000n);
    ledger.balances.delete("merchant");
    ledger.settle = async function (...args) {
      const result = await LedgerFacilitator.prototype.settle.apply(this, args);
      settledAt = Date.now();
      return result;
    };
    settledAt = undefined;
    hits.length = 0;
  });

  async function paymentHeaders(path: string) {
    const unpaid = await fetch(app.url + path);
    expect(unpaid.status).toBe(402);
    return signFor(decodePaymentRequiredHeader(unpaid.headers.get("payment-required") as string), client);
  }

  it("answers 402 with PAYMENT-REQUIRED, CORS-readable, without running the handler", async () => {
    const response = await fetch(`${app.url}/paid?q=1`, { headers: { origin: "https://app.example" } });
    expect(response.status).toBe(402);
    const required = decodePaymentRequiredHeader(response.headers.get("payment-required") as string);
    expect(required.resource.url).toBe(`http://localhost:${app.port}/paid?q=1`);
    expect(response.headers.get("access-control-expose-headers")).toContain("PAYMENT-REQUIRED");
    expect(hits).toEqual([]);
  });

  it("answers preflights itself (204, unpriced)", async () => {
    const response = await fetch(`${app.url}/paid`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("payment-required")).toBeNull();
    expect(response.headers.get("access-control-allow-headers")).toContain("PAYMENT-SIGNATURE");
  });

  it("serves paid content with a receipt, charging once", async () => {
    const response = await fetch(`${app.url}/paid`, {
      headers: { ...(await paymentHeaders("/paid")), origin: "https://app.example" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ content: PAID_BODY });
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: true,
      payer: "alice",
    });
    expect(response.headers.get("access-control-expose-headers")).toContain("PAYMENT-RESPONSE");
    expect(ledger.balances.get("merchant")).toBe(10_000n);
    expect(hits).toEqual(["paid"]);
  });

  it("pays a POST to the wildcard route, with and without a body", async () => {
    for (const body of [undefined, JSON.stringify({ q: 1 })]) {
      const headers = await paymentHeaders("/api/deep/path");
      const response = await fetch(`${app.url}/api/deep/path`, {
        method: "POST",
        headers: body ? { ...headers, "content-type": "application/json" } : headers,
        body,
        signal: AbortSignal.timeout(10_000),
      });
      expect([response.status, await response.text()]).toEqual([200, PAID_BODY]);
    }
    expect(ledger.balances.get("merchant")).toBe(20_000n);
  });

  it("keeps serving after a client drops an unpaid POST's answer", async () => {
    const unpaid = await fetch(`${app.url}/api/deep/path`, { method: "POST" });
    await unpaid.body?.cancel();
    expect(unpaid.status).toBe(402);
    const next = await fetch(`${app.url}/api`, { signal: AbortSignal.timeout(5_000) });
    expect(next.status).toBe(402);
    const paid = await fetch(`${app.url}/api`, {
      headers: await paymentHeaders("/api"),
      signal: AbortSignal.timeout(5_000),
    });
    expect([paid.status, await paid.text()]).toEqual([200, PAID_BODY]);
  });

  it("prices per request (dynamic price) on a route with a parameter", async () => {
    const response = await fetch(`${app.url}/weather/Paris`, {
      headers: await paymentHeaders("/weather/Paris"),
    });
    expect(await response.json()).toEqual({ city: "Paris" });
    expect(ledger.balances.get("merchant")).toBe(20_000n);
  });

  it("charges nothing when the handler fails, and sends its answer", async () => {
    const response = await fetch(`${app.url}/fails`, { headers: await paymentHeaders("/fails") });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("handler failed");
    expect(response.headers.get("payment-response")).toBeNull();
    expect(ledger.balances.get("merchant")).toBeUndefined();
  });

  it("holds a stream until settled: no byte before settlement, then all of it", async () => {
    const headers = await paymentHeaders("/stream");
    const response = await fetch(`${app.url}/stream`, { headers });
    const firstByteAt = Date.now();
    expect(response.status).toBe(200);
    expect(settledAt).toBeDefined();
    expect(firstByteAt).toBeGreaterThanOrEqual(settledAt as number);
    expect(await response.text()).toBe(`data: one\n\ndata: two\n\ndata: ${PAID_BODY}\n\n`);
    expect(response.headers.get("payment-response")).toBeTruthy();
  });

  it("withholds the output when settlement fails", async () => {
    const headers = await paymentHeaders("/paid");
    ledger.settle = async (_p, req) => ({
      success: false,
      errorReason: "insufficient_funds",
      transaction: "",
      network: req.network,
    });
    const response = await fetch(`${app.url}/paid`, { headers });
    expect(response.status).toBe(402);
    expect(await response.text()).not.toContain(PAID_BODY);
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: false,
      errorReason: "insufficient_funds",
    });
  });

  it("before-handler routes settle before the handler runs", async () => {
    const headers = await paymentHeaders("/upfront");
    ledger.settle = async (_p, req) => ({
      success: false,
      errorReason: "insufficient_funds",
      transaction: "",
      network: req.network,
    });
    const refused = await fetch(`${app.url}/upfront`, { headers });
    expect(refused.status).toBe(402);
    expect(hits).toEqual([]);
    ledger.settle = LedgerFacilitator.prototype.settle;
    const paid = await fetch(`${app.url}/upfront`, { headers: await paymentHeaders("/upfront") });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toEqual({ content: PAID_BODY });
    expect(paid.headers.get("payment-response")).toBeTruthy();
    expect(hits).toEqual(["upfront"]);
  });

  it.each(BYPASS_REQUEST_LINES)("bypass spelling %s reaches no handler unpaid", async (line) => {
    const response = await rawRequest(app.port, line);
    expect(response.status).not.toBe(0);
    expect(response.body).not.toContain(PAID_BODY);
    expect(hits).toEqual([]);
    if (response.status === 200) throw new Error(`${line} was served unpaid`);
  });

  it("forged internal headers (Next's subrequest marker, a guessed proxy token) buy nothing", async () => {
    for (const header of [
      "x-middleware-subrequest: proxy:proxy:proxy:proxy:proxy",
      "x-middleware-subrequest: middleware:middleware:middleware:middleware:middleware",
      `${PAID_SUBREQUEST_HEADER}: 00000000-0000-4000-8000-000000000000`,
    ]) {
      const response = await rawRequest(app.port, "GET /paid HTTP/1.1", [header]);
      expect(response.status).toBe(402);
    }
    expect(hits).toEqual([]);
  });

  it("the suite is live: a free route is served", async () => {
    expect(await (await fetch(`${app.url}/free`)).text()).toBe("free");
  });
});
