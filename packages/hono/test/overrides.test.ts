import { decodePaymentResponseHeader } from "@x402kit/core/http";
import { paymentMiddleware, SETTLEMENT_OVERRIDES_HEADER, setSettlementOverrides } from "@x402kit/hono";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerClient, LedgerUptoFacilitator } from "../../core/test/ledgerScheme.js";
import { ledgerResourceServer, listen, paymentHeaders, type Served } from "./support/serve.js";

// The ledger-upto scheme is core's in-memory TEST DOUBLE; what is under test is the adapter.
describe("hono: the handler reports what to charge (setSettlementOverrides)", () => {
  const upto = new LedgerUptoFacilitator();
  const client = new LedgerClient("alice", "ledger-upto");
  let served: Served;

  beforeAll(async () => {
    const accepts = { scheme: "ledger-upto", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" };
    const app = new Hono();
    app.use(
      paymentMiddleware(
        {
          "GET /metered": { accepts },
          "GET /free-result": { accepts },
          "GET /greedy": { accepts },
          "GET /refused": { accepts },
          "GET /upfront": { accepts, settlementPhase: "before-handler" },
        },
        ledgerResourceServer(upto, "ledger-upto"),
      ),
    );
    app.get("/metered", (c) => {
      setSettlementOverrides(c, { amount: c.req.query("units") ?? "2500" });
      return c.json({ tokens: 2500 });
    });
    app.get("/free-result", (c) => {
      setSettlementOverrides(c, { amount: "0" });
      return c.json({ cached: true });
    });
    app.get("/greedy", (c) => {
      setSettlementOverrides(c, { amount: "$1" });
      return c.json({ secret: "never delivered" });
    });
    app.get("/refused", (c) => {
      setSettlementOverrides(c, { amount: "100" });
      return c.json({ error: "no capacity" }, 503);
    });
    app.get("/upfront", (c) => {
      // Too late to change the charge: the header must still never reach the client.
      setSettlementOverrides(c, { amount: "1" });
      return new Response("raw", { headers: { [SETTLEMENT_OVERRIDES_HEADER]: '{"amount":"1"}' } });
    });
    served = await listen(app);
  });
  afterAll(() => served.close());
  beforeEach(() => {
    upto.balances.set("alice", 1_000_000n);
    upto.balances.delete("merchant");
    upto.calls.settle = 0;
  });

  const paid = async (path: string) =>
    fetch(served.base + path, { headers: await paymentHeaders(served.base, path, client) });

  it("settles the reported amount below the authorised one and strips the header", async () => {
    const response = await paid("/metered");
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
    const response = await paid("/free-result");
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

  it("refuses a charge above the authorised amount: 402, content withheld, nothing moved", async () => {
    const response = await paid("/greedy");
    expect(response.status).toBe(402);
    expect(await response.text()).not.toContain("never delivered");
    expect(response.headers.get(SETTLEMENT_OVERRIDES_HEADER)).toBeNull();
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: false,
      errorReason: "invalid_settlement_amount",
    });
    expect(upto.calls.settle).toBe(0);
  });

  it("strips the header from a failed handler's answer too", async () => {
    const response = await paid("/refused");
    expect(response.status).toBe(503);
    expect(response.headers.get(SETTLEMENT_OVERRIDES_HEADER)).toBeNull();
    expect(upto.calls.settle).toBe(0);
  });

  it("strips the header from a raw Response of a before-handler route (charged in full up front)", async () => {
    const response = await paid("/upfront");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("raw");
    expect(response.headers.get(SETTLEMENT_OVERRIDES_HEADER)).toBeNull();
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string).success).toBe(
      true,
    );
    expect(upto.balances.get("merchant")).toBe(10_000n);
  });
});
