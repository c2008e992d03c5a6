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
  "GET /item/:id": {
    accepts: { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" },
    description: "An item",
    mimeType: "application/json",
  },
  "/dynamic/*": {
    accepts: {
      scheme: "ledger",
      network: LEDGER_NETWORK,
      payTo: (ctx) => `shop-${ctx.path.split("/")[2]}`,
      price: () => "$0.02",
    },
  },
};

function request(path: string, headers: Record<string, string> = {}, method = "GET"): HttpRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, path, url: `http://shop.test${path}`, getHeader: (name) => lower[name.toLowerCase()] };
}

describe("x402HTTPResourceServer with the ledger test scheme", () => {
  let ledger: LedgerFacilitator;
  let http: x402HTTPResourceServer;
  let client: x402HTTPClient;

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
  });

  async function pay(path: string) {
    const unpaid = await http.processRequest(request(path));
    if (unpaid.type !== "payment-error") throw new Error("expected a 402");
    const required = client.getPaymentRequiredResponse((n) => unpaid.response.headers[n]);
    return client.createPaymentHeaders(required);
  }

  it("passes unpriced routes; a method-less route prices OPTIONS too (paymentCors answers preflights first)", async () => {
    expect((await http.processRequest(request("/free"))).type).toBe("no-payment-required");
    expect((await http.processRequest(request("/dynamic/a", {}, "OPTIONS"))).type).toBe("payment-error");
    expect((await http.processRequest(request("/item/1", {}, "POST"))).type).toBe("no-payment-required");
  });

  it("answers an unpaid request with 402 and a PAYMENT-REQUIRED header", async () => {
    const result = await http.processRequest(request("/item/7?x=1"));
    expect(result.type).toBe("payment-error");
    if (result.type !== "payment-error") return;
    expect(result.response.status).toBe(402);
    expect(result.response.headers["cache-control"]).toBe("no-store");
    expect(decodeHeaderJson(result.response.headers["PAYMENT-REQUIRED"] as string)).toEqual({
      x402Version: 2,
      error: "Payment required",
      resource: { url: "http://shop.test/item/7?x=1", description: "An item", mimeType: "application/json" },
      accepts: [
        {
          scheme: "ledger",
          network: LEDGER_NETWORK,
          amount: "10000",
          asset: "TUSD",
          payTo: "merchant",
          maxTimeoutSeconds: 300,
          extra: { unit: "micro" },
        },
      ],
    });
  });

  it("verifies, then settles once, moving the money", async () => {
    const headers = await pay("/item/1");
    const result = await http.processRequest(request("/item/1", headers));
    expect(result.type).toBe("payment-verified");
    if (result.type !== "payment-verified") return;
    const outcome = await result.payment.settle();
    expect(outcome.type).toBe("settled");
    if (outcome.type !== "settled") return;
    const receipt = client.getPaymentSettleResponse((n) => outcome.headers[n]);
    expect(receipt).toMatchObject({ success: true, payer: "alice", network: LEDGER_NETWORK });
    expect(ledger.balances.get("merchant")).toBe(10_000n);
    await expect(result.payment.settle()).rejects.toMatchObject({ code: "invalid_transaction_state" });

    const replay = await http.processRequest(request("/item/1", headers));
    expect(replay.type === "payment-error" && replay.response.status).toBe(402);
    expect(replay.type === "payment-error" && JSON.parse(replay.response.body).error).toBe(
      "invalid_ledger_nonce_used",
    );
  });

  it("asks the facilitator once more when a settlement is pending", async () => {
    const headers = await pay("/item/1");
    const settle = ledger.settle.bind(ledger);
    let calls = 0;
    ledger.settle = async (payload, requirements) => {
      calls += 1;
      if (calls === 1)
        return {
          success: false,
          errorReason: "settlement_pending",
          transaction: "tx-pending",
          network: requirements.network,
        };
      return settle(payload, requirements);
    };
    const result = await http.processRequest(request("/item/1", headers));
    if (result.type !== "payment-verified") throw new Error("expected verified");
    const outcome = await result.payment.settle();
    expect(outcome.type).toBe("settled");
    expect(calls).toBe(2);
  });

  it("keeps a settled payment settled when an after-settle hook throws; a throwing gate aborts", async () => {
    const server = http.server;
    server.onAfterSettle(() => {
      throw new Error("analytics down");
    });
    const headers = await pay("/item/1");
    const result = await http.processRequest(request("/item/1", headers));
    if (result.type !== "payment-verified") throw new Error("expected verified");
    expect((await result.payment.settle()).type).toBe("settled");
    expect(ledger.balances.get("merchant")).toBe(10_000n);

    server.onBeforeVerify(() => {
      throw new Error("policy store down");
    });
    const blocked = await http.processRequest(request("/item/1", await pay("/item/1")));
    expect(blocked.type === "payment-error" && JSON.parse(blocked.response.body).error).toBe(
      "before_verify_hook_error",
    );
  });

  it("lets only one of concurrent duplicates through", async () => {
    const headers = await pay("/item/1");
    const results = await Promise.all(
      Array.from({ length: 20 }, () => http.processRequest(request("/item/1", headers))),
    );
    const verified = results.filter((r) => r.type === "payment-verified");
    expect(verified).toHaveLength(1);
    const reasons = results.flatMap((r) =>
      r.type === "payment-error" ? [JSON.parse(r.response.body).error] : [],
    );
    expect(reasons).toEqual(Array(19).fill("duplicate_settlement"));
  });

  it("releases a payment whose handler failed, without settling", async () => {
    const headers = await pay("/item/1");
    const first = await http.processRequest(request("/item/1", headers));
    if (first.type !== "payment-verified") throw new Error("expected verified");
    first.payment.release();
    expect(ledger.balances.get("merchant")).toBeUndefined();
    const retry = await http.processRequest(request("/item/1", headers));
    expect(retry.type).toBe("payment-verified");
  });

  it("rejects a payment for a different resource price with a reason", async () => {
    const headers = await pay("/dynamic/a");
    const result = await http.processRequest(request("/item/1", headers));
    expect(result.type === "payment-error" && JSON.parse(result.response.body)).toMatchObject({
      error: "invalid_payment_requirements",
    });
  });

  it("builds dynamic requirements per request", async () => {
    const a = await http.processRequest(request("/dynamic/a"));
    const b = await http.processRequest(request("/dynamic/b"));
    const payTo = (r: typeof a) =>
      r.type === "payment-error" &&
      (decodeHeaderJson(r.response.headers["PAYMENT-REQUIRED"] as string) as { accepts: { payTo: string }[] })
        .accepts[0]?.payTo;
    expect(payTo(a)).toBe("shop-a");
    expect(payTo(b)).toBe("shop-b");
  });

  it.each([
    ["not base64", "%%%", 400, "invalid_payload"],
    ["base64 of garbage", "bm90IGpzb24=", 400, "invalid_payload"],
    ["JSON of the wrong shape", encodeHeaderJson({ x402Version: 2, accepted: {} }), 400, "invalid_payload"],
    ["an oversized header", "A".repeat(9000), 431, "payment_header_too_large"],
  ])("answers %s with a clear 4xx", async (_label, header, status, error) => {
    const result = await http.processRequest(request("/item/1", { "PAYMENT-SIGNATURE": header }));
    expect(result.type).toBe("payment-error");
    if (result.type !== "payment-error") return;
    expect(result.response.status).toBe(status);
    expect(JSON.parse(result.response.body).error).toBe(error);
  });

  it("fails initialisation listing every unsupported route option", async () => {
    const bad = new x402HTTPResourceServer(
      new x402ResourceServer(
        new x402Facilitator().register(LEDGER_NETWORK, new LedgerFacilitator()),
      ).register("test:*", new LedgerServer()),
      {
        "/a": {
          accepts: [
            { scheme: "ledger", network: "test:other", payTo: "m", price: "$1" },
            { scheme: "nope", network: LEDGER_NETWORK, payTo: "m", price: "$1" },
          ],
        },
      },
    );
    await expect(bad.initialize()).rejects.toThrow(
      /no facilitator supports "ledger" on test:other[\s\S]*no scheme server registered for "nope"/,
    );
  });
});
