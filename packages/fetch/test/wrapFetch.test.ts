import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { x402HTTPResourceServer, x402ResourceServer } from "@x402kit/core/server";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import { beforeAll, describe, expect, it } from "vitest";
import {
  LEDGER_NETWORK,
  LedgerClient,
  LedgerFacilitator,
  LedgerServer,
} from "../../core/test/ledgerScheme.js";

// A fetch that answers through core's real server pipeline (no sockets); the ledger scheme
// is core's in-memory TEST DOUBLE. Chain-backed runs are in tests/interop.
const ledger = new LedgerFacilitator();
const seen: Request[] = [];
let pipeline: x402HTTPResourceServer;

const serverFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  seen.push(request.clone());
  const url = new URL(request.url);
  const result = await pipeline.processRequest({
    method: request.method,
    path: url.pathname + url.search,
    url: request.url,
    getHeader: (name) => request.headers.get(name) ?? undefined,
  });
  if (result.type === "no-payment-required") return new Response("free");
  if (result.type === "payment-error") return new Response(result.response.body, result.response);
  const outcome = await result.payment.settle();
  if (outcome.type === "failed") return new Response(outcome.response.body, outcome.response);
  return new Response(`paid:${await request.text()}`, { headers: outcome.headers });
};

describe("wrapFetchWithPayment", () => {
  beforeAll(async () => {
    ledger.balances.set("alice", 1_000_000n);
    const server = new x402ResourceServer(new x402Facilitator().register(LEDGER_NETWORK, ledger)).register(
      "test:*",
      new LedgerServer(),
    );
    pipeline = new x402HTTPResourceServer(server, {
      "POST /paid": {
        accepts: { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" },
      },
      "GET /expensive": {
        accepts: { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$5" },
      },
    });
    await pipeline.initialize();
  });

  const client = () => new x402Client().register("test:*", new LedgerClient("alice"));

  it("pays a 402 once, re-sends the body, and exposes the receipt", async () => {
    seen.length = 0;
    const pay = wrapFetchWithPayment(serverFetch, client());
    const response = await pay("http://shop.test/paid", { method: "POST", body: "hello" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("paid:hello");
    expect(getPaymentReceipt(response)).toMatchObject({ success: true, payer: "alice" });
    expect(seen).toHaveLength(2);
    expect(seen[1]?.headers.get("payment-signature")).toBeTruthy();
  });

  it("returns non-402 answers untouched", async () => {
    const response = await wrapFetchWithPayment(serverFetch, client())("http://shop.test/free");
    expect(await response.text()).toBe("free");
    expect(getPaymentReceipt(response)).toBeUndefined();
  });

  it("refuses prices over the spending limit before paying", async () => {
    seen.length = 0;
    await expect(
      wrapFetchWithPayment(serverFetch, client())("http://shop.test/expensive"),
    ).rejects.toMatchObject({
      code: "spending_limit_exceeded",
    });
    expect(seen).toHaveLength(1);
  });

  it("does not pay again for a request that already carried a payment", async () => {
    // A server that keeps answering 402 with valid requirements, whatever it gets.
    const always402: typeof fetch = async () => serverFetch("http://shop.test/paid", { method: "POST" });
    const pay = wrapFetchWithPayment(always402, client());
    await expect(
      pay("http://shop.test/paid", { method: "POST", headers: { "PAYMENT-SIGNATURE": "e30=" } }),
    ).rejects.toMatchObject({ code: "payment_already_attempted" });
  });

  it("reports a 402 without PAYMENT-REQUIRED as a typed error", async () => {
    const bare: typeof fetch = async () => new Response("{}", { status: 402 });
    await expect(wrapFetchWithPayment(bare, client())("http://x.test/")).rejects.toMatchObject({
      code: "invalid_payment_requirements",
    });
    // A v1 body is read; this client has no v1 registration, so nothing qualifies.
    const v1: typeof fetch = async () => Response.json({ x402Version: 1, accepts: [] }, { status: 402 });
    await expect(wrapFetchWithPayment(v1, client())("http://x.test/")).rejects.toMatchObject({
      code: "no_matching_requirements",
    });
  });
});
