import { PassThrough } from "node:stream";
import { x402Facilitator } from "@x402kit/core/facilitator";
import {
  decodeHeaderJson,
  decodePaymentRequiredHeader,
  decodePaymentResponseHeader,
} from "@x402kit/core/http";
import { x402ResourceServer } from "@x402kit/core/server";
import { paymentCors, paymentMiddleware } from "@x402kit/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  LEDGER_NETWORK,
  LedgerClient,
  LedgerFacilitator,
  LedgerServer,
} from "../../core/test/ledgerScheme.js";
import { signFor } from "../../core/test/support/payFor.js";

// The ledger scheme is core's in-memory TEST DOUBLE; what is under test is the fastify glue.
const option = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;

describe("paymentMiddleware (fastify)", () => {
  const ledger = new LedgerFacilitator();
  const client = new LedgerClient("alice");
  let app: FastifyInstance;
  let base: string;
  let handlerRuns = 0;

  beforeAll(async () => {
    const resourceServer = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, ledger),
    ).register("test:*", new LedgerServer());
    app = Fastify();
    app.addHook("onRequest", paymentCors());
    paymentMiddleware(
      app,
      {
        "GET /paid": { accepts: option },
        "GET /fails": { accepts: option },
        "GET /throws": { accepts: option },
        "GET /stream": { accepts: option },
        "GET /raw": { accepts: option },
        "GET /upfront": { accepts: option, settlementPhase: "before-handler" },
        "GET /weather/:city": { accepts: option },
      },
      resourceServer,
    );
    app.get("/paid", async () => {
      handlerRuns += 1;
      return { secret: "paid content" };
    });
    app.get("/fails", async (_request, reply) => reply.code(503).send({ error: "upstream down" }));
    app.get("/throws", async () => {
      throw new Error("boom");
    });
    app.get("/stream", async (_request, reply) => {
      const stream = new PassThrough();
      stream.write("part1 ");
      setTimeout(() => stream.end("part2"), 20);
      return reply.type("text/plain").send(stream);
    });
    app.get("/raw", (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { "content-type": "text/plain" });
      reply.raw.write("raw1 ");
      setTimeout(() => reply.raw.end("raw2"), 20);
    });
    app.get("/upfront", async (_request, reply) => {
      handlerRuns += 1;
      return reply.type("text/plain").send("upfront content");
    });
    app.get("/weather/:city", async (request) => ({ city: (request.params as { city: string }).city }));
    app.get("/free", async () => "free");
    await app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(() => app.close());
  beforeEach(() => {
    ledger.balances.set("alice", 1_000_000n);
    ledger.balances.delete("merchant");
    ledger.settleDelayMs = 0;
    ledger.settle = LedgerFacilitator.prototype.settle;
    handlerRuns = 0;
  });

  async function paymentHeaders(path: string) {
    const unpaid = await fetch(base + path);
    expect(unpaid.status).toBe(402);
    return signFor(decodePaymentRequiredHeader(unpaid.headers.get("payment-required") as string), client);
  }

  it("passes free routes untouched", async () => {
    expect(await (await fetch(`${base}/free`)).text()).toBe("free");
  });

  it("answers 402 with PAYMENT-REQUIRED whose resource is the request URL, readable cross-origin", async () => {
    const response = await fetch(`${base}/paid?q=1`, { headers: { origin: "https://app.example" } });
    expect(response.status).toBe(402);
    const required = decodeHeaderJson(response.headers.get("payment-required") as string) as {
      resource: { url: string };
    };
    expect(required.resource.url).toBe(`${base}/paid?q=1`);
    expect(response.headers.get("access-control-expose-headers")).toContain("PAYMENT-REQUIRED");
    expect(await response.json()).toEqual({});
  });

  it("answers a preflight itself: 204, never priced", async () => {
    const response = await fetch(`${base}/paid`, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "payment-signature",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("payment-required")).toBeNull();
    expect(response.headers.get("access-control-allow-headers")).toContain("PAYMENT-SIGNATURE");
  });

  it("serves paid content with a receipt and charges once", async () => {
    const response = await fetch(`${base}/paid`, { headers: await paymentHeaders("/paid") });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ secret: "paid content" });
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: true,
      payer: "alice",
    });
    expect(response.headers.get("access-control-expose-headers")).toContain("PAYMENT-RESPONSE");
    expect(ledger.balances.get("merchant")).toBe(10_000n);
    expect(handlerRuns).toBe(1);
  });

  it("prices a path parameter route by the path fastify routed", async () => {
    const response = await fetch(`${base}/weather/Paris`, {
      headers: await paymentHeaders("/weather/Paris"),
    });
    expect(await response.json()).toEqual({ city: "Paris" });
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });

  for (const path of ["/stream", "/raw"]) {
    it(`holds ${path === "/stream" ? "a returned stream" : "reply.raw writes"} until settlement, then delivers all of it`, async () => {
      const headers = await paymentHeaders(path);
      ledger.settleDelayMs = 80;
      const started = Date.now();
      const response = await fetch(`${base}${path}`, { headers });
      // Headers arrive only after settlement (the handler is done after ~20 ms, settlement takes 80 ms).
      expect(Date.now() - started).toBeGreaterThanOrEqual(80);
      expect(response.status).toBe(200);
      expect(response.headers.get("payment-response")).toBeTruthy();
      expect(await response.text()).toBe(path === "/stream" ? "part1 part2" : "raw1 raw2");
      expect(ledger.balances.get("merchant")).toBe(10_000n);
    });
  }

  it("does not charge when the handler answers an error or throws", async () => {
    for (const [path, status] of [
      ["/fails", 503],
      ["/throws", 500],
    ] as const) {
      const response = await fetch(`${base}${path}`, { headers: await paymentHeaders(path) });
      expect(response.status).toBe(status);
      expect(response.headers.get("payment-response")).toBeNull();
    }
    expect(ledger.balances.get("merchant")).toBeUndefined();
  });

  it("withholds the handler output when settlement fails, keeping the app's CORS headers", async () => {
    for (const path of ["/paid", "/stream"]) {
      const headers = await paymentHeaders(path);
      ledger.settle = async (_p, req) => ({
        success: false,
        errorReason: "insufficient_funds",
        transaction: "",
        network: req.network,
      });
      const response = await fetch(`${base}${path}`, {
        headers: { ...headers, origin: "https://app.example" },
      });
      expect(response.status).toBe(402);
      const body = await response.text();
      expect(body).not.toContain("paid content");
      expect(body).not.toContain("part1");
      expect(response.headers.get("access-control-expose-headers")).toContain("PAYMENT-RESPONSE");
      expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
        success: false,
        errorReason: "insufficient_funds",
      });
      ledger.settle = LedgerFacilitator.prototype.settle;
    }
    expect(ledger.balances.get("merchant")).toBeUndefined();
  });

  it("before-handler routes settle first: the handler runs only for a settled payment", async () => {
    const headers = await paymentHeaders("/upfront");
    const response = await fetch(`${base}/upfront`, { headers });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("upfront content");
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: true,
    });
    expect(ledger.balances.get("merchant")).toBe(10_000n);

    const failing = await paymentHeaders("/upfront");
    ledger.settle = async (_p, req) => ({
      success: false,
      errorReason: "boom",
      transaction: "",
      network: req.network,
    });
    const refused = await fetch(`${base}/upfront`, { headers: failing });
    expect(refused.status).toBe(402);
    expect(await refused.text()).not.toContain("upfront content");
    expect(handlerRuns).toBe(1);
  });

  it("never answers 500 to malformed payment headers", async () => {
    for (const value of ["%%%", "e30=", "bnVsbA==", "W10=", "A".repeat(10_000)]) {
      const response = await fetch(`${base}/paid`, { headers: { "PAYMENT-SIGNATURE": value } });
      expect([400, 431]).toContain(response.status);
    }
    expect(handlerRuns).toBe(0);
  });
});
