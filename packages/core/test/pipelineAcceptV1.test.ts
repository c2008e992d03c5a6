import { x402Client, x402HTTPClient } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodeHeaderJson, encodeHeaderJson } from "@x402kit/core/http";
import {
  type HttpRequest,
  type RoutesConfig,
  x402HTTPResourceServer,
  x402ResourceServer,
} from "@x402kit/core/server";
import { beforeEach, describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerClient, LedgerFacilitator, LedgerServer } from "./ledgerScheme.js";

const routes: RoutesConfig = {
  "GET /item": { accepts: { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } },
};
const acceptV1 = { networkName: (network: string) => (network === LEDGER_NETWORK ? "ledger-v1" : undefined) };

function request(headers: Record<string, string> = {}): HttpRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: "GET",
    path: "/item",
    url: "http://shop.test/item",
    getHeader: (name) => lower[name.toLowerCase()],
  };
}

describe("x402HTTPResourceServer's v1 opt-in (acceptV1), with the ledger test scheme", () => {
  let ledger: LedgerFacilitator;
  const v1Client = new x402HTTPClient(
    new x402Client({ spendControls: false }).registerV1("ledger-v1", new LedgerClient("alice")),
  );

  async function server(options = {}) {
    const facilitator = new x402Facilitator().register(LEDGER_NETWORK, ledger);
    const http = new x402HTTPResourceServer(
      new x402ResourceServer(facilitator).register("test:*", new LedgerServer()),
      routes,
      options,
    );
    await http.initialize();
    return http;
  }

  beforeEach(() => {
    ledger = new LedgerFacilitator();
    ledger.balances.set("alice", 1_000_000n);
  });

  it("is off by default: the 402 body is not v1 and X-PAYMENT is ignored", async () => {
    const http = await server();
    const unpaid = await http.processRequest(request());
    if (unpaid.type !== "payment-error") throw new Error("expected a 402");
    expect(JSON.parse(unpaid.response.body)).toEqual({});
    const header = encodeHeaderJson({ x402Version: 1, scheme: "ledger", network: "ledger-v1", payload: {} });
    const paid = await http.processRequest(request({ "X-PAYMENT": header }));
    expect(paid.type).toBe("payment-error");
    expect(ledger.balances.get("alice")).toBe(1_000_000n);
  });

  it("answers v1 clients: v1 402 body, X-PAYMENT settled through the v2 pipeline, X-PAYMENT-RESPONSE", async () => {
    const http = await server({ acceptV1 });
    const unpaid = await http.processRequest(request());
    if (unpaid.type !== "payment-error") throw new Error("expected a 402");
    const body = JSON.parse(unpaid.response.body);
    expect(body).toMatchObject({
      x402Version: 1,
      accepts: [
        {
          scheme: "ledger",
          network: "ledger-v1",
          maxAmountRequired: "10000",
          resource: "http://shop.test/item",
        },
      ],
    });
    const payload = await v1Client.createPaymentPayload(
      v1Client.getPaymentRequiredResponse(() => undefined, body),
    );
    const headers = v1Client.encodePaymentSignatureHeader(payload);
    expect(Object.keys(headers)).toEqual(["X-PAYMENT"]);
    const verified = await http.processRequest(request(headers));
    if (verified.type !== "payment-verified")
      throw new Error(`expected a verified payment, got ${verified.type}`);
    expect(verified.paymentPayload).toMatchObject({ x402Version: 2, accepted: { network: LEDGER_NETWORK } });
    const done = await verified.payment.afterHandler({ status: 200 });
    if (done.type !== "settled") throw new Error(`expected settled, got ${done.type}`);
    expect(decodeHeaderJson(done.headers["X-PAYMENT-RESPONSE"] as string)).toMatchObject({
      success: true,
      network: "ledger-v1",
    });
    expect(decodeHeaderJson(done.headers["PAYMENT-RESPONSE"] as string)).toMatchObject({
      network: LEDGER_NETWORK,
    });
    expect(ledger.balances.get("alice")).toBe(1_000_000n - 10_000n);
  });

  it("refuses an X-PAYMENT for a network it does not offer, with the v1 body in the 402", async () => {
    const http = await server({ acceptV1 });
    const header = encodeHeaderJson({ x402Version: 1, scheme: "ledger", network: "elsewhere", payload: {} });
    const refused = await http.processRequest(request({ "X-PAYMENT": header }));
    if (refused.type !== "payment-error") throw new Error("expected a 402");
    expect(refused.response.status).toBe(402);
    expect(JSON.parse(refused.response.body)).toMatchObject({
      x402Version: 1,
      error: "no_matching_requirements",
      accepts: [{ network: "ledger-v1" }],
    });
    expect(ledger.balances.get("alice")).toBe(1_000_000n);
  });

  it("a failed settlement also carries X-PAYMENT-RESPONSE for the v1 client", async () => {
    const http = await server({ acceptV1 });
    const unpaid = await http.processRequest(request());
    if (unpaid.type !== "payment-error") throw new Error("expected a 402");
    const body = JSON.parse(unpaid.response.body);
    const payload = await v1Client.createPaymentPayload(
      v1Client.getPaymentRequiredResponse(() => undefined, body),
    );
    const verified = await http.processRequest(request(v1Client.encodePaymentSignatureHeader(payload)));
    if (verified.type !== "payment-verified") throw new Error("expected a verified payment");
    ledger.balances.set("alice", 0n); // spent elsewhere before the handler finished
    const done = await verified.payment.afterHandler({ status: 200 });
    if (done.type !== "failed" || !done.settleResponse)
      throw new Error(`expected a failed settlement, got ${done.type}`);
    expect(done.response.status).toBe(402);
    expect(decodeHeaderJson(done.response.headers["X-PAYMENT-RESPONSE"] as string)).toMatchObject({
      success: false,
      errorReason: "insufficient_funds",
      network: "ledger-v1",
    });
  });
});
