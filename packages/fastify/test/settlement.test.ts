import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402kit/core/http";
import { x402ResourceServer } from "@x402kit/core/server";
import { paymentMiddleware, SETTLEMENT_OVERRIDES_HEADER, setSettlementOverrides } from "@x402kit/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  LEDGER_NETWORK,
  LedgerClient,
  LedgerServer,
  LedgerUptoFacilitator,
} from "../../core/test/ledgerScheme.js";
import { signFor } from "../../core/test/support/payFor.js";

// The ledger upto scheme is core's in-memory TEST DOUBLE; what is under test is the adapter.
describe("fastify: the handler reports what to charge (setSettlementOverrides)", () => {
  const upto = new LedgerUptoFacilitator();
  const client = new LedgerClient("alice", "ledger-upto");
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    const resourceServer = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, upto),
    ).register("test:*", new LedgerServer("ledger-upto"));
    const accepts = { scheme: "ledger-upto", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" };
    app = Fastify();
    paymentMiddleware(
      app,
      {
        "GET /metered": { accepts },
        "GET /greedy": { accepts },
        "GET /sent": { accepts },
        "GET /upfront": { accepts, settlementPhase: "before-handler" },
      },
      resourceServer,
    );
    // An async handler that sends without returning the reply: fastify then sends `undefined`
    // again, which must not replace the held answer.
    app.get("/sent", async (_request, reply) => {
      reply.send({ sent: true });
    });
    app.get("/upfront", async (_request, reply) => {
      setSettlementOverrides(reply, { amount: "1" });
      return { upfront: true };
    });
    app.get("/metered", async (_request, reply) => {
      setSettlementOverrides(reply, { amount: "2500" });
      return { tokens: 2500 };
    });
    app.get("/greedy", async (_request, reply) => {
      setSettlementOverrides(reply, { amount: "$1" });
      return { secret: "never delivered" };
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(() => app.close());
  beforeEach(() => {
    upto.balances.set("alice", 1_000_000n);
    upto.balances.delete("merchant");
    upto.calls.settle = 0;
  });

  async function paymentHeaders(path: string) {
    const unpaid = await fetch(base + path);
    expect(unpaid.status).toBe(402);
    return signFor(decodePaymentRequiredHeader(unpaid.headers.get("payment-required") as string), client);
  }

  it("delivers what an async handler sent without returning it, and charges the price", async () => {
    const response = await fetch(`${base}/sent`, { headers: await paymentHeaders("/sent") });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sent: true });
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string).success).toBe(
      true,
    );
    expect(upto.balances.get("merchant")).toBe(10_000n);
  });

  it("keeps the overrides header of a before-handler route from the client", async () => {
    const response = await fetch(`${base}/upfront`, { headers: await paymentHeaders("/upfront") });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ upfront: true });
    expect(response.headers.get(SETTLEMENT_OVERRIDES_HEADER)).toBeNull();
    expect(upto.balances.get("merchant")).toBe(10_000n);
  });

  it("settles the reported amount below the authorised one and strips the header", async () => {
    const response = await fetch(`${base}/metered`, { headers: await paymentHeaders("/metered") });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ tokens: 2500 });
    expect(response.headers.get(SETTLEMENT_OVERRIDES_HEADER)).toBeNull();
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: true,
      amount: "2500",
    });
    expect(upto.balances.get("merchant")).toBe(2500n);
  });

  it("refuses a charge above the authorised amount: 402, content withheld, nothing moved", async () => {
    const response = await fetch(`${base}/greedy`, { headers: await paymentHeaders("/greedy") });
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
