import { getPaymentReceipt, wrapAxiosWithPayment } from "@x402kit/axios";
import { X402Error } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { x402HTTPResourceServer, x402ResourceServer } from "@x402kit/core/server";
import axios, { AxiosError } from "axios";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  LEDGER_NETWORK,
  LedgerClient,
  LedgerFacilitator,
  LedgerServer,
} from "../../core/test/ledgerScheme.js";
import { type SeenRequest, startLoopbackServer } from "./loopbackServer.js";

// axios (its real Node adapter) against a loopback server that answers through core's real
// server pipeline. The ledger scheme is core's in-memory TEST DOUBLE; chain-backed runs of
// this client against the official servers are in tests/e2e.
const option = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;
const ledger = new LedgerFacilitator();
let pipeline: x402HTTPResourceServer;
let server: Awaited<ReturnType<typeof startLoopbackServer>>;

async function answer(request: SeenRequest) {
  if (request.url === "/broken") return { status: 503, body: "down" };
  // `/stubborn` answers every request, a paid one included, with the 402 of `/paid`.
  const stubborn = request.url === "/stubborn";
  const path = stubborn ? "/paid" : request.url;
  const result = await pipeline.processRequest({
    method: request.method,
    path,
    url: `http://shop.test${path}`,
    getHeader: (name) => (stubborn ? undefined : request.headers[name.toLowerCase()]),
  });
  if (result.type === "no-payment-required") return { status: 200, body: "free" };
  if (result.type === "payment-error") return result.response;
  const outcome = await result.payment.settle();
  if (outcome.type === "failed") return outcome.response;
  return {
    status: 200,
    headers: { ...outcome.headers, "content-type": "application/json" },
    body: JSON.stringify({ paid: true, received: request.body }),
  };
}

beforeAll(async () => {
  const resourceServer = new x402ResourceServer(
    new x402Facilitator().register(LEDGER_NETWORK, ledger),
  ).register("test:*", new LedgerServer());
  pipeline = new x402HTTPResourceServer(resourceServer, {
    "GET /paid": { accepts: option },
    "POST /order": { accepts: option },
    "GET /expensive": { accepts: { ...option, price: "$5" } },
  });
  await pipeline.initialize();
  server = await startLoopbackServer(answer);
});
afterAll(() => server?.close());
beforeEach(() => {
  server.seen.length = 0;
  ledger.balances.set("alice", 1_000_000n);
  ledger.balances.set("merchant", 0n);
});

const client = () => new x402Client().register("test:*", new LedgerClient("alice"));
const api = () => wrapAxiosWithPayment(axios.create({ baseURL: server.url }), client());

describe("wrapAxiosWithPayment", () => {
  it("pays a 402 once, re-sends the POST body, and exposes the receipt", async () => {
    const response = await api().post("/order", { item: "book", qty: 2 });
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ paid: true, received: JSON.stringify({ item: "book", qty: 2 }) });
    expect(getPaymentReceipt(response)).toMatchObject({ success: true, payer: "alice", amount: "10000" });
    expect(server.seen.map((r) => r.body)).toEqual(['{"item":"book","qty":2}', '{"item":"book","qty":2}']);
    expect(server.seen[0]?.headers["payment-signature"]).toBeUndefined();
    expect(server.seen[1]?.headers["payment-signature"]).toBeTruthy();
    expect(server.seen[1]?.headers["content-type"]).toMatch(/application\/json/);
    expect(ledger.balances.get("alice")).toBe(990_000n);
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });

  it("returns non-402 answers untouched, and rejects other errors as axios does", async () => {
    const free = await api().get("/free");
    expect(free.data).toBe("free");
    expect(getPaymentReceipt(free)).toBeUndefined();
    const error = await api()
      .get("/broken")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).response?.status).toBe(503);
    expect(server.seen).toHaveLength(2);
  });

  it("pays a 402 that the caller's validateStatus let through", async () => {
    const response = await api().get("/paid", { validateStatus: () => true });
    expect(response.status).toBe(200);
    expect(getPaymentReceipt(response)?.success).toBe(true);
    expect(server.seen).toHaveLength(2);
  });

  it("refuses a price over the spend controls before paying", async () => {
    const error = await api()
      .get("/expensive")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(X402Error);
    expect(error).toMatchObject({ code: "spending_limit_exceeded" });
    expect(server.seen).toHaveLength(1);
    expect(ledger.balances.get("alice")).toBe(1_000_000n);
  });

  it.each(["PAYMENT-SIGNATURE", "X-PAYMENT"])(
    "does not pay again for a request that already carried %s",
    async (header) => {
      const error = await api()
        .get("/stubborn", { headers: { [header]: "e30=" } })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "payment_already_attempted" });
      expect(server.seen).toHaveLength(1);
      expect(ledger.balances.get("alice")).toBe(1_000_000n);
    },
  );

  it("rejects with the paid request's 402 (an AxiosError) when the payment is refused", async () => {
    ledger.balances.set("alice", 5n);
    const error = await api()
      .get("/paid")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    const response = (error as AxiosError).response;
    expect(response?.status).toBe(402);
    expect((error as AxiosError).config?.validateStatus?.(402)).toBe(false);
    expect(server.seen).toHaveLength(2);
  });

  it("hands each request its own payment when many run at once", async () => {
    const instance = api();
    const answers = await Promise.all([1, 2, 3].map((n) => instance.post("/order", { n })));
    expect(answers.map((r) => r.data.received)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(server.seen).toHaveLength(6);
    expect(ledger.balances.get("merchant")).toBe(30_000n);
  });
});
