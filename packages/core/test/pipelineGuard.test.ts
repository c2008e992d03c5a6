import type { PaymentRequirements, SupportedResponse } from "@x402kit/core";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentResponseHeader, encodeHeaderJson } from "@x402kit/core/http";
import {
  type HTTPAdapter,
  RouteConfigurationError,
  x402HTTPResourceServer,
  x402ResourceServer,
} from "@x402kit/core/server";
import { MemoryStore } from "@x402kit/core/storage";
import { beforeEach, describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerClient, LedgerFacilitator, LedgerServer } from "./ledgerScheme.js";
import { errorOf, payFor, paymentRequiredOf, request } from "./support/payFor.js";

// The ledger scheme is core's in-memory TEST DOUBLE; what is under test is the pipeline.
const routes = {
  "GET /item": { accepts: { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } },
} as const;
const client = new LedgerClient("alice");

function setup(options: ConstructorParameters<typeof x402HTTPResourceServer>[2] = {}) {
  const ledger = new LedgerFacilitator();
  ledger.balances.set("alice", 1_000_000n);
  const server = new x402ResourceServer(new x402Facilitator().register(LEDGER_NETWORK, ledger)).register(
    "test:*",
    new LedgerServer(),
  );
  return { ledger, server, http: new x402HTTPResourceServer(server, routes, options) };
}

describe("the in-flight guard", () => {
  it("frees the payment of a handler that never ends once the TTL has passed", async () => {
    const { http } = setup({ inFlightTtlSeconds: 0.2 });
    const headers = await payFor(http, "/item", client);
    const hung = await http.processRequest(request("/item", headers));
    expect(hung.type).toBe("payment-verified"); // its handler never ends: neither settled nor released
    expect(errorOf(await http.processRequest(request("/item", headers))).error).toBe("duplicate_settlement");
    await new Promise((r) => setTimeout(r, 250));
    expect((await http.processRequest(request("/item", headers))).type).toBe("payment-verified");
  });

  it("holds a payment for its maxTimeoutSeconds plus a minute by default", async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    const { http } = setup({ store });
    // A second instance on the store: the first also remembers its own claim by the real clock.
    const other = setup({ store }).http;
    const headers = await payFor(http, "/item", client);
    expect((await http.processRequest(request("/item", headers))).type).toBe("payment-verified");
    now += 359_000;
    expect(errorOf(await other.processRequest(request("/item", headers))).error).toBe("duplicate_settlement");
    now += 2_000;
    expect((await other.processRequest(request("/item", headers))).type).toBe("payment-verified");
  });

  it("stops duplicates across instances sharing a store, and a late release cannot free a newer claim", async () => {
    const store = new MemoryStore();
    const a = setup({ store, inFlightTtlSeconds: 0.1 });
    const b = setup({ store, inFlightTtlSeconds: 0.1 });
    const headers = await payFor(a.http, "/item", client);
    const first = await a.http.processRequest(request("/item", headers));
    expect(errorOf(await b.http.processRequest(request("/item", headers))).error).toBe(
      "duplicate_settlement",
    );
    await new Promise((r) => setTimeout(r, 150));
    const second = await b.http.processRequest(request("/item", headers));
    expect(second.type).toBe("payment-verified");
    if (first.type === "payment-verified") first.payment.release(); // late: the claim is b's now
    expect(errorOf(await a.http.processRequest(request("/item", headers))).error).toBe(
      "duplicate_settlement",
    );
  });

  it("claims nothing for a payment that does not match", async () => {
    const store = new MemoryStore();
    const { http } = setup({ store });
    const headers = await payFor(http, "/item", client);
    const tampered = JSON.parse(Buffer.from(headers["PAYMENT-SIGNATURE"] as string, "base64").toString());
    tampered.accepted.amount = "1";
    const result = await http.processRequest(
      request("/item", { "PAYMENT-SIGNATURE": encodeHeaderJson(tampered) }),
    );
    expect(errorOf(result).error).toBe("invalid_payment_requirements");
    expect(await store.list("")).toEqual([]);
  });
});

describe("initialisation", () => {
  it("answers 503 while the facilitator is down and retries on the next paid request; free routes never wait", async () => {
    const ledger = new LedgerFacilitator();
    const facilitator = new x402Facilitator().register(LEDGER_NETWORK, ledger);
    let down = true;
    let asked = 0;
    const flaky = {
      verify: facilitator.verify.bind(facilitator),
      settle: facilitator.settle.bind(facilitator),
      getSupported: async (): Promise<SupportedResponse> => {
        asked += 1;
        if (down) throw new Error("connection refused");
        return facilitator.getSupported();
      },
    };
    const http = new x402HTTPResourceServer(
      new x402ResourceServer(flaky).register("test:*", new LedgerServer()),
      routes,
    );
    expect((await http.processRequest(request("/free"))).type).toBe("no-payment-required");
    expect(asked).toBe(0);
    const unavailable = await http.processRequest(request("/item"));
    expect(unavailable.type === "payment-error" && unavailable.response.status).toBe(503);
    expect(errorOf(unavailable).error).toBe("payment_unavailable");
    down = false;
    expect(paymentRequiredOf(await http.processRequest(request("/item"))).accepts).toHaveLength(1);
    await http.processRequest(request("/item"));
    expect(asked).toBe(2);
  });

  it("reports every route problem in a RouteConfigurationError", async () => {
    const server = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, new LedgerFacilitator()),
    );
    server.register("test:*", new LedgerServer());
    const http = new x402HTTPResourceServer(server, {
      "GET /a": { accepts: { scheme: "ledger", network: "test:other", payTo: "m", price: "$1" } },
      "GET /b": { accepts: { scheme: "nope", network: LEDGER_NETWORK, payTo: "m", price: "$1" } },
    });
    const error = await http.initialize().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouteConfigurationError);
    expect((error as RouteConfigurationError).errors.map((e) => [e.routePattern, e.reason])).toEqual([
      ["GET /a", "missing_facilitator"],
      ["GET /b", "missing_scheme"],
    ]);
    expect((error as RouteConfigurationError).code).toBe("invalid_route_config");
  });
});

describe("server extensions", () => {
  let setupResult: ReturnType<typeof setup>;
  beforeEach(() => {
    setupResult = setup();
  });

  it("enrich the declaration, the 402, the verification and the settlement of routes declaring them", async () => {
    const { server } = setupResult;
    server.registerExtension({
      key: "bazaar",
      enrichDeclaration: (declaration, transport) => ({
        ...(declaration as object),
        method: (transport as { method: string }).method,
      }),
      enrichPaymentRequiredResponse: (declaration) => ({ ...(declaration as object), offer: "signed-offer" }),
      enrichVerifyResponse: () => ({ seen: true }),
      enrichSettlementResponse: (_d, ctx) => ({ receipt: `signed:${ctx.result.transaction}` }),
    });
    server.registerExtension({
      key: "broken",
      enrichSettlementResponse: () => {
        throw new Error("signer down");
      },
    });
    const http = new x402HTTPResourceServer(server, {
      "GET /item": {
        ...routes["GET /item"],
        extensions: { bazaar: { info: { output: "json" } }, broken: {}, other: 1 },
      },
    });
    const required = paymentRequiredOf(await http.processRequest(request("/item")));
    expect(required.extensions).toEqual({
      bazaar: { info: { output: "json" }, method: "GET", offer: "signed-offer" },
      broken: {},
      other: 1,
    });
    const result = await http.processRequest(request("/item", await payFor(http, "/item", client)));
    if (result.type !== "payment-verified") throw new Error(JSON.stringify(result));
    expect(result.payment.verifyResponse.extensions).toEqual({ bazaar: { seen: true } });
    const done = await result.payment.afterHandler({ status: 200 });
    if (done.type !== "settled") throw new Error(JSON.stringify(done));
    const receipt = decodePaymentResponseHeader(done.headers["PAYMENT-RESPONSE"] as string);
    expect(receipt).toMatchObject({
      success: true,
      extensions: { bazaar: { receipt: `signed:${receipt.transaction}` } },
    });
  });

  it("may not redirect the money: an extension rewriting payTo or the settlement outcome is undone and dropped", async () => {
    const { server } = setupResult;
    server.registerExtension({
      key: "evil",
      enrichPaymentRequiredResponse: (_d, ctx) => {
        (ctx.paymentRequiredResponse.accepts[0] as { payTo: string }).payTo = "mallory";
        return { hijacked: true };
      },
      enrichSettlementResponse: (_d, ctx) => {
        (ctx.result as { transaction: string }).transaction = "forged";
        return { forged: true };
      },
    });
    server.registerExtension({
      key: "polite",
      enrichPaymentRequiredResponse: (_d, ctx) => {
        const extra = ctx.paymentRequiredResponse.accepts[0]?.extra as Record<string, unknown>;
        extra.offerId = "o-1"; // adding an extra key is allowed
        return { ok: true };
      },
    });
    const http = new x402HTTPResourceServer(server, {
      "GET /item": { ...routes["GET /item"], extensions: { evil: {}, polite: {} } },
    });
    const required = paymentRequiredOf(await http.processRequest(request("/item")));
    expect(required.accepts[0]).toMatchObject({
      payTo: "merchant",
      extra: { unit: "micro", offerId: "o-1" },
    });
    expect(required.extensions).toEqual({ evil: {}, polite: { ok: true } });
    // The route's cached offer was never touched.
    expect(paymentRequiredOf(await http.processRequest(request("/item"))).accepts[0]?.payTo).toBe("merchant");
    const result = await http.processRequest(request("/item", await payFor(http, "/item", client)));
    if (result.type !== "payment-verified") throw new Error(JSON.stringify(result));
    const done = await result.payment.afterHandler({ status: 200 });
    if (done.type !== "settled") throw new Error(JSON.stringify(done));
    const receipt = decodePaymentResponseHeader(done.headers["PAYMENT-RESPONSE"] as string);
    expect(receipt.transaction).toMatch(/^tx-/);
    expect(receipt.extensions).toBeUndefined();
  });

  it("leave routes that declare nothing untouched", async () => {
    const { server, http } = setupResult;
    server.registerExtension({ key: "bazaar", enrichPaymentRequiredResponse: () => ({ x: 1 }) });
    expect(paymentRequiredOf(await http.processRequest(request("/item"))).extensions).toBeUndefined();
  });
});

describe("the official request and settlement shapes", () => {
  it("processHTTPRequest takes { adapter, path, method } and processSettlement settles and frees the payment", async () => {
    const { http, ledger } = setup();
    const headers = await payFor(http, "/item", client);
    const adapter: HTTPAdapter = {
      getHeader: (name) =>
        name.toLowerCase() === "payment-signature" ? headers["PAYMENT-SIGNATURE"] : undefined,
      getMethod: () => "GET",
      getPath: () => "/item",
      getUrl: () => "http://shop.test/item",
      getAcceptHeader: () => "",
      getUserAgent: () => "",
    };
    const verified = await http.processHTTPRequest({ adapter, path: "/item", method: "GET" });
    if (verified.type !== "payment-verified") throw new Error(JSON.stringify(verified));
    const settled = await http.processSettlement(verified.paymentPayload, verified.paymentRequirements);
    expect(settled).toMatchObject({
      success: true,
      payer: "alice",
      requirements: verified.paymentRequirements,
    });
    expect(settled.headers["PAYMENT-RESPONSE"]).toBeTruthy();
    expect(ledger.balances.get("merchant")).toBe(10_000n);
    const replay = await http.processHTTPRequest({ adapter, path: "/item", method: "GET" });
    expect(errorOf(replay).error).toBe("invalid_ledger_nonce_used");
  });

  it("passes the official (context, routeConfig) to onProtectedRequest hooks", async () => {
    const { http } = setup();
    http.onProtectedRequest((context, config) =>
      context.adapter.getHeader("x-api-key") === "k" && config.accepts ? { grantAccess: true } : undefined,
    );
    expect((await http.processRequest(request("/item", { "x-api-key": "k" }))).type).toBe(
      "no-payment-required",
    );
    expect((await http.processRequest(request("/item"))).type).toBe("payment-error");
  });

  it("asks a registered paywall provider for browsers' unpaid 402, with the paywall config", async () => {
    const { http } = setup();
    http.registerPaywallProvider({
      generateHtml: (required, config) => `<h1>${config?.appName}: ${required.accepts[0]?.amount}</h1>`,
    });
    const browser = { accept: "text/html", "user-agent": "Mozilla/5.0" };
    const page = await http.processHTTPRequest(request("/item", browser), { appName: "Shop" });
    expect(page.type === "payment-error" && page.response.body).toBe("<h1>Shop: 10000</h1>");
    const paid = await http.processRequest(
      request("/item", { ...browser, ...(await payFor(http, "/item", client)) }),
    );
    expect(paid.type).toBe("payment-verified"); // only the unpaid 402 is HTML
  });

  it("serves browsers the route's paywall HTML, with PAYMENT-REQUIRED; API clients keep JSON", async () => {
    const server = setup().server;
    const http = new x402HTTPResourceServer(server, {
      "GET /item": { ...routes["GET /item"], customPaywallHtml: "<html>pay</html>" },
    });
    const browser = await http.processRequest(
      request("/item", { accept: "text/html,*/*", "user-agent": "Mozilla/5.0" }),
    );
    expect(browser.type === "payment-error" && browser.response).toMatchObject({
      status: 402,
      body: "<html>pay</html>",
      isHtml: true,
    });
    expect(paymentRequiredOf(browser).accepts).toHaveLength(1);
    const api = await http.processRequest(request("/item", { accept: "text/html" }));
    expect(api.type === "payment-error" && api.response.body).toBe("{}");
  });
});

describe("address comparison is the scheme's", () => {
  const offer: PaymentRequirements = {
    scheme: "ledger",
    network: LEDGER_NETWORK,
    amount: "1",
    asset: "TUSD",
    payTo: "Merchant",
    maxTimeoutSeconds: 300,
    extra: {},
  };
  const payload = (payTo: string) => ({
    x402Version: 2 as const,
    accepted: { ...offer, payTo },
    payload: {},
  });

  it("is exact by default (case-sensitive chains) and follows the scheme's sameAddress", () => {
    const exact = new x402ResourceServer(new x402Facilitator()).register("test:*", new LedgerServer());
    expect(exact.findMatchingRequirements([offer], payload("merchant"))).toBeUndefined();
    expect(exact.findMatchingRequirements([offer], payload("Merchant"))).toBe(offer);
    const relaxed = Object.assign(new LedgerServer(), {
      sameAddress: (a: string, b: string) => a.toLowerCase() === b.toLowerCase(),
    });
    const caseless = new x402ResourceServer(new x402Facilitator()).register("test:*", relaxed);
    expect(caseless.findMatchingRequirements([offer], payload("merchant"))).toBe(offer);
  });

  it("leaves a scheme's dynamic extra fields out of the match", () => {
    const dynamicOffer = { ...offer, extra: { nonce: "a", fixed: 1 } };
    const dynamic = Object.assign(new LedgerServer(), { dynamicExtraFields: ["nonce"] });
    const server = new x402ResourceServer(new x402Facilitator()).register("test:*", dynamic);
    const claim = (extra: Record<string, unknown>) => ({
      x402Version: 2 as const,
      accepted: { ...offer, extra },
      payload: {},
    });
    expect(server.findMatchingRequirements([dynamicOffer], claim({ nonce: "b", fixed: 1 }))).toBe(
      dynamicOffer,
    );
    expect(server.findMatchingRequirements([dynamicOffer], claim({ nonce: "a", fixed: 2 }))).toBeUndefined();
  });
});
