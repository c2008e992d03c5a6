import { x402Client, x402HTTPClient } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodeHeaderJson } from "@x402kit/core/http";
import {
  type HttpRequest,
  type ProcessResult,
  type RoutesConfig,
  x402HTTPResourceServer,
  x402ResourceServer,
} from "@x402kit/core/server";
import { beforeEach, describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerClient, LedgerFacilitator, LedgerServer } from "./ledgerScheme.js";

const accepts = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;
const routes: RoutesConfig = {
  "GET /later": { accepts },
  "GET /upfront": { accepts, settlementPhase: "before-handler" },
  "GET /upfront-custom": {
    accepts,
    settlementPhase: "before-handler",
    settlementFailedResponseBody: (_ctx, receipt) => ({
      contentType: "text/plain",
      body: `not settled: ${receipt.errorReason}`,
    }),
  },
};

function request(path: string, headers: Record<string, string> = {}): HttpRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: "GET",
    path,
    url: `http://shop.test${path}`,
    getHeader: (name) => lower[name.toLowerCase()],
  };
}

describe("settlement timing per route (ledger test double)", () => {
  let ledger: LedgerFacilitator;
  let http: x402HTTPResourceServer;
  let client: x402HTTPClient;
  /** What the handler saw when it ran (undefined: it never ran). */
  let handlerSaw: { merchantBalance: bigint | undefined } | undefined;

  beforeEach(async () => {
    ledger = new LedgerFacilitator();
    ledger.balances.set("alice", 1_000_000n);
    const facilitator = new x402Facilitator().register(LEDGER_NETWORK, ledger);
    http = new x402HTTPResourceServer(
      new x402ResourceServer(facilitator).register("test:*", new LedgerServer()),
      routes,
    );
    await http.initialize();
    client = new x402HTTPClient(new x402Client().register("test:*", new LedgerClient("alice")));
    handlerSaw = undefined;
  });

  async function paidRequest(path: string): Promise<HttpRequest> {
    const unpaid = await http.processRequest(request(path));
    if (unpaid.type !== "payment-error") throw new Error("expected a 402");
    const required = client.getPaymentRequiredResponse((n) => unpaid.response.headers[n]);
    return request(path, await client.createPaymentHeaders(required));
  }

  /** A minimal adapter: the handler runs only for a verified payment, as every adapter does. */
  async function serve(req: HttpRequest): Promise<ProcessResult> {
    const result = await http.processRequest(req);
    if (result.type === "payment-verified") handlerSaw = { merchantBalance: ledger.balances.get("merchant") };
    return result;
  }

  it("before-handler: settles inside processRequest, before the handler runs", async () => {
    const result = await serve(await paidRequest("/upfront"));
    if (result.type !== "payment-verified") throw new Error(`expected verified, got ${result.type}`);
    expect(handlerSaw).toEqual({ merchantBalance: 10_000n });
    expect(ledger.calls.settle).toBe(1);
    const { payment } = result;
    expect(payment.settlementPhase).toBe("before-handler");
    expect(payment.settleResponse).toMatchObject({ success: true, payer: "alice" });
    const header = payment.settledHeaders?.["PAYMENT-RESPONSE"];
    expect(decodeHeaderJson(header as string)).toMatchObject({
      success: true,
      payer: "alice",
      transaction: expect.stringMatching(/^tx-/),
    });
  });

  it("before-handler: a failed handler is still charged once, and nothing settles twice", async () => {
    // The official entry point, so processSettlement finds the payment too.
    const result = await http.processHTTPRequest(await paidRequest("/upfront"));
    if (result.type !== "payment-verified") throw new Error("expected verified");
    const completion = await result.payment.afterHandler({ status: 500 });
    expect(completion.type).toBe("settled");
    result.payment.release();
    expect((await result.payment.settle()).type).toBe("settled");
    const official = await http.processSettlement(result.paymentPayload, result.paymentRequirements);
    expect(official.success).toBe(true);
    expect(ledger.calls.settle).toBe(1);
    expect(ledger.balances.get("merchant")).toBe(10_000n);
    expect(ledger.balances.get("alice")).toBe(990_000n);
  });

  it("before-handler: a failed settlement answers 402 with the reason and the handler never runs", async () => {
    const req = await paidRequest("/upfront");
    // The payer's balance moves away between verify and settle.
    const settle = ledger.settle.bind(ledger);
    ledger.settle = (payload, requirements) => {
      ledger.balances.set("alice", 0n);
      return settle(payload, requirements);
    };
    const result = await serve(req);
    expect(handlerSaw).toBeUndefined();
    if (result.type !== "payment-error") throw new Error(`expected payment-error, got ${result.type}`);
    expect(result.response.status).toBe(402);
    expect(JSON.parse(result.response.body)).toMatchObject({ error: "insufficient_funds" });
    expect(decodeHeaderJson(result.response.headers["PAYMENT-RESPONSE"] as string)).toMatchObject({
      success: false,
      errorReason: "insufficient_funds",
    });
    expect(ledger.balances.get("merchant")).toBeUndefined();
  });

  it("before-handler: the route's settlementFailedResponseBody shapes the 402", async () => {
    const req = await paidRequest("/upfront-custom");
    ledger.settle = async (_payload, requirements) => ({
      success: false,
      errorReason: "insufficient_funds",
      transaction: "",
      network: requirements.network,
    });
    const result = await serve(req);
    expect(handlerSaw).toBeUndefined();
    expect(result.type === "payment-error" && result.response).toMatchObject({
      status: 402,
      body: "not settled: insufficient_funds",
      headers: { "content-type": "text/plain" },
    });
  });

  it("after-handler (default): nothing settles before the handler; a failing handler is never charged", async () => {
    const result = await serve(await paidRequest("/later"));
    if (result.type !== "payment-verified") throw new Error("expected verified");
    expect(handlerSaw).toEqual({ merchantBalance: undefined });
    expect(result.payment.settlementPhase).toBe("after-handler");
    expect(result.payment.settledHeaders).toBeUndefined();
    expect(await result.payment.afterHandler({ status: 500 })).toEqual({ type: "released" });
    expect(ledger.calls.settle).toBe(0);
    expect(ledger.balances.get("alice")).toBe(1_000_000n);
    expect(ledger.balances.get("merchant")).toBeUndefined();
  });

  it("after-handler: a handler that succeeded is settled after it ran", async () => {
    const result = await serve(await paidRequest("/later"));
    if (result.type !== "payment-verified") throw new Error("expected verified");
    expect(ledger.calls.settle).toBe(0);
    const completion = await result.payment.afterHandler({ status: 200 });
    expect(completion.type).toBe("settled");
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });
});
