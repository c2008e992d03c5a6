import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentSignatureHeader, encodeHeaderJson } from "@x402kit/core/http";
import { x402HTTPResourceServer, x402ResourceServer } from "@x402kit/core/server";
import { MemoryStore } from "@x402kit/core/storage";
import { describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerClient, LedgerFacilitator, LedgerServer } from "./ledgerScheme.js";
import { errorOf, payFor, request } from "./support/payFor.js";

// The ledger scheme is core's in-memory TEST DOUBLE (its payment id is the nonce; a copy whose
// recipient differs fails verification, as a forged signature would); the pipeline is under test.
const routes = {
  "GET /item": { accepts: { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } },
} as const;

function setup(store?: MemoryStore) {
  const ledger = new LedgerFacilitator();
  ledger.balances.set("alice", 1_000_000n);
  const server = new x402ResourceServer(new x402Facilitator().register(LEDGER_NETWORK, ledger)).register(
    "test:*",
    new LedgerServer(),
  );
  return { ledger, http: new x402HTTPResourceServer(server, routes, store ? { store } : {}) };
}

/** The same payment id (nonce) with a payload that cannot verify: the attacker's copy. */
function forgedCopy(headers: Record<string, string>): Record<string, string> {
  const payload = decodePaymentSignatureHeader(headers["PAYMENT-SIGNATURE"] as string);
  const forged = { ...payload, payload: { ...payload.payload, to: "mallory" } };
  return { "PAYMENT-SIGNATURE": encodeHeaderJson(forged) };
}

async function serve(http: x402HTTPResourceServer, headers: Record<string, string>) {
  const result = await http.processRequest(request("/item", headers));
  if (result.type !== "payment-verified") return result;
  return { type: "settled" as const, done: await result.payment.afterHandler({ status: 200 }) };
}

describe.each([
  ["in memory", () => undefined],
  ["with a shared store", () => new MemoryStore()],
])("the in-flight guard (%s) is held only by a verified payment", (_label, store) => {
  it("a forged copy sent first does not block the real payment", async () => {
    const { http, ledger } = setup(store());
    const headers = await payFor(http, "/item", new LedgerClient("alice"));
    // The forged copy is still being verified when the real one arrives.
    const [forged, real] = await Promise.all([
      http.processRequest(request("/item", forgedCopy(headers))),
      serve(http, headers),
    ]);
    expect(errorOf(forged).error).toBe("invalid_ledger_recipient");
    expect(real.type).toBe("settled");
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });

  it("a forged copy held by nothing: sent alone first, then the real one settles", async () => {
    const { http, ledger } = setup(store());
    const headers = await payFor(http, "/item", new LedgerClient("alice"));
    expect(errorOf(await http.processRequest(request("/item", forgedCopy(headers)))).error).toBe(
      "invalid_ledger_recipient",
    );
    expect((await serve(http, headers)).type).toBe("settled");
    expect(ledger.calls.settle).toBe(1);
  });

  it("20 concurrent copies of a real payment settle once; the others are duplicates", async () => {
    const { http, ledger } = setup(store());
    ledger.settleDelayMs = 20;
    const headers = await payFor(http, "/item", new LedgerClient("alice"));
    const results = await Promise.all(Array.from({ length: 20 }, () => serve(http, headers)));
    expect(results.filter((r) => r.type === "settled")).toHaveLength(1);
    const refused = results.filter((r) => r.type !== "settled").map((r) => errorOf(r as never).error);
    expect(refused).toHaveLength(19);
    expect(new Set(refused)).toEqual(new Set(["duplicate_settlement"]));
    expect(ledger.calls.settle).toBe(1);
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });
});
