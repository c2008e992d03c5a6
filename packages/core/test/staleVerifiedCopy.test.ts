import type { PaymentPayload, PaymentRequirements, VerifyResponse } from "@x402kit/core";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { x402HTTPResourceServer, x402ResourceServer } from "@x402kit/core/server";
import { MemoryStore } from "@x402kit/core/storage";
import { describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerClient, LedgerFacilitator, LedgerServer } from "./ledgerScheme.js";
import { errorOf, payFor, request } from "./support/payFor.js";

/**
 * TEST DOUBLE: the ledger facilitator whose verify answers 50 ms late for one copy (a slow RPC,
 * a busy facilitator). Its answer reflects the ledger when the check ran: valid, although the
 * other copy settles meanwhile.
 */
class LateVerifyLedgerDouble extends LedgerFacilitator {
  lateNext = false;
  override async verify(p: PaymentPayload, r: PaymentRequirements): Promise<VerifyResponse> {
    const late = this.lateNext;
    this.lateNext = false;
    const answer = await super.verify(p, r);
    if (late) await new Promise((res) => setTimeout(res, 50));
    return answer;
  }
}

const routes = {
  "GET /item": { accepts: { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } },
} as const;

function setup(store: MemoryStore | undefined) {
  const ledger = new LateVerifyLedgerDouble();
  ledger.balances.set("alice", 1_000_000n);
  const server = new x402ResourceServer(new x402Facilitator().register(LEDGER_NETWORK, ledger)).register(
    "test:*",
    new LedgerServer(),
  );
  return { ledger, http: new x402HTTPResourceServer(server, routes, store ? { store } : {}) };
}

describe.each([
  ["in memory", () => undefined],
  ["with a store", () => new MemoryStore()],
])("a settled payment (%s)", (_label, store) => {
  it("is not served again to a copy that verified before it settled", async () => {
    const { http, ledger } = setup(store());
    const headers = await payFor(http, "/item", new LedgerClient("alice"));
    let handlerRuns = 0;
    const serve = async () => {
      const result = await http.processRequest(request("/item", headers));
      if (result.type !== "payment-verified") return errorOf(result).error;
      handlerRuns++;
      return (await result.payment.afterHandler({ status: 200 })).type;
    };
    ledger.lateNext = true; // the first copy's verify is the late one
    const answers = await Promise.all([serve(), serve()]);
    expect(answers.sort()).toEqual(["duplicate_settlement", "settled"]);
    expect(handlerRuns).toBe(1);
    expect(ledger.calls.settle).toBe(1);
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });

  it("a copy of a payment this instance holds is refused without verifying", async () => {
    const { http, ledger } = setup(store());
    const headers = await payFor(http, "/item", new LedgerClient("alice"));
    expect((await http.processRequest(request("/item", headers))).type).toBe("payment-verified");
    const verifies = ledger.calls.verify;
    expect(errorOf(await http.processRequest(request("/item", headers))).error).toBe("duplicate_settlement");
    expect(ledger.calls.verify).toBe(verifies);
  });
});
