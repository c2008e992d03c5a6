// Must run before any Next module loads.
import "./support/nodeEnvironment.js";
import { createRequire } from "node:module";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402kit/core/http";
import { x402ResourceServer } from "@x402kit/core/server";
import * as ours from "@x402kit/next";
import { NextAdapter, SETTLEMENT_OVERRIDES_HEADER, setSettlementOverrides, withX402 } from "@x402kit/next";
import { NextRequest, NextResponse } from "next/server";
import { beforeEach, describe, expect, it } from "vitest";
import {
  LEDGER_NETWORK,
  LedgerClient,
  LedgerServer,
  LedgerUptoFacilitator,
} from "../../core/test/ledgerScheme.js";
import { signFor } from "../../core/test/support/payFor.js";

// No Next server here: Next's own NextRequest/NextResponse classes called directly (the real
// server runs in nextServer.devnet.test.ts). The ledger upto scheme is core's TEST DOUBLE.
describe("@x402kit/next: drop-in names", () => {
  it("exports every runtime name of the official @x402/next 2.25", async () => {
    // Its ESM build imports `next/server` without an extension, which Node's ESM loader
    // cannot resolve (next has no exports map); its CommonJS build exports the same names.
    const official = Object.keys(createRequire(import.meta.url)("@x402/next") as object);
    expect(official.length).toBeGreaterThan(8);
    expect(official.filter((name) => !(name in ours))).toEqual([]);
  });
});

describe("withX402: the handler reports what to charge (setSettlementOverrides)", () => {
  const upto = new LedgerUptoFacilitator();
  const client = new LedgerClient("alice", "ledger-upto");
  const server = new x402ResourceServer(new x402Facilitator().register(LEDGER_NETWORK, upto)).register(
    "test:*",
    new LedgerServer("ledger-upto"),
  );
  const accepts = { scheme: "ledger-upto", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" };
  const handler = (amount: string) => async () => {
    const response = NextResponse.json({ tokens: 2500 });
    setSettlementOverrides(response, { amount });
    return response;
  };
  const metered = withX402(handler("2500"), { accepts }, server);
  const greedy = withX402(handler("$1"), { accepts }, server);
  const url = "http://shop.test/api/generate";

  beforeEach(() => {
    upto.balances.set("alice", 1_000_000n);
    upto.balances.delete("merchant");
    upto.calls.settle = 0;
  });

  async function paid(wrapped: typeof metered) {
    const unpaid = await wrapped(new NextRequest(url));
    expect(unpaid.status).toBe(402);
    const headers = await signFor(
      decodePaymentRequiredHeader(unpaid.headers.get("payment-required") as string),
      client,
    );
    return wrapped(new NextRequest(url, { headers }));
  }

  it("settles the reported amount and strips the header", async () => {
    const response = await paid(metered);
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
    const response = await paid(greedy);
    expect(response.status).toBe(402);
    expect(await response.text()).not.toContain("tokens");
    expect(response.headers.get(SETTLEMENT_OVERRIDES_HEADER)).toBeNull();
    expect(upto.calls.settle).toBe(0);
  });

  it("prices Next catch-alls, and refuses to run the handler for a path its table misses", async () => {
    let runs = 0;
    const handlerRun = async () => {
      runs += 1;
      return NextResponse.json({ secret: "PAID" });
    };
    const wrapped = withX402(
      handlerRun,
      { "GET /api/docs/[...slug]": { accepts }, "GET /api/opt/[[...slug]]": { accepts } },
      server,
    );
    for (const path of ["/api/docs/a", "/api/docs/a/b", "/api/opt", "/api/opt/x/y"])
      expect((await wrapped(new NextRequest(`http://shop.test${path}`))).status, path).toBe(402);
    const missed = await wrapped(new NextRequest("http://shop.test/elsewhere"));
    expect(missed.status).toBe(503);
    expect(await missed.json()).toMatchObject({ error: "invalid_route_config" });
    expect(runs).toBe(0);
  });

  it("keeps the overrides header of a before-handler route from the client", async () => {
    const upfront = withX402(handler("1"), { accepts, settlementPhase: "before-handler" }, server);
    const response = await paid(upfront);
    expect(response.status).toBe(200);
    expect(response.headers.get(SETTLEMENT_OVERRIDES_HEADER)).toBeNull();
    expect(upto.balances.get("merchant")).toBe(10_000n);
  });

  it("NextAdapter reads the request as the official adapter does", async () => {
    const adapter = new NextAdapter(
      new NextRequest("http://shop.test/api/x?a=1&a=2&b=3", {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify({ q: 1 }),
      }),
    );
    expect([adapter.getMethod(), adapter.getPath(), adapter.getUrl()]).toEqual([
      "POST",
      "/api/x",
      "http://shop.test/api/x?a=1&a=2&b=3",
    ]);
    expect(adapter.getQueryParams()).toEqual({ a: ["1", "2"], b: "3" });
    expect(adapter.getAcceptHeader()).toBe("application/json");
    expect(await adapter.getBody()).toEqual({ q: 1 });
  });
});
