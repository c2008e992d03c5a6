import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentResponseHeader } from "@x402kit/core/http";
import {
  SETTLEMENT_OVERRIDES_HEADER,
  x402HTTPResourceServer,
  x402ResourceServer,
} from "@x402kit/core/server";
import { beforeEach, describe, expect, it } from "vitest";
import {
  LEDGER_NETWORK,
  LedgerClient,
  LedgerFacilitator,
  LedgerServer,
  LedgerUptoFacilitator,
} from "./ledgerScheme.js";
import { LedgerVoucherClient, LedgerVoucherServer, VOUCHER_MISMATCH } from "./ledgerVoucherScheme.js";
import { errorOf, payFor, paymentRequiredOf, request, signFor } from "./support/payFor.js";

// Every scheme here is a TEST DOUBLE (ledgerScheme.ts, ledgerVoucherScheme.ts): what is under
// test is the pipeline's seams, not a chain.
const option = (scheme: string, price = "$0.01") => ({
  accepts: { scheme, network: LEDGER_NETWORK, payTo: "merchant", price },
});

describe("upto-like: the handler reports what to charge", () => {
  let upto: LedgerUptoFacilitator;
  let http: x402HTTPResourceServer;
  const client = new LedgerClient("alice", "ledger-upto");

  beforeEach(async () => {
    upto = new LedgerUptoFacilitator();
    upto.balances.set("alice", 1_000_000n);
    const server = new x402ResourceServer(new x402Facilitator().register(LEDGER_NETWORK, upto)).register(
      "test:*",
      new LedgerServer("ledger-upto"),
    );
    http = new x402HTTPResourceServer(server, { "POST /generate": option("ledger-upto") });
  });

  async function verified() {
    const headers = await signFor(
      paymentRequiredOf(await http.processRequest(request("/generate", {}, "POST"))),
      client,
    );
    const result = await http.processRequest(request("/generate", headers, "POST"));
    if (result.type !== "payment-verified") throw new Error(`expected verified: ${JSON.stringify(result)}`);
    return { payment: result.payment, headers };
  }

  it.each([
    ["4000", 4000n],
    ["50%", 5000n],
    ["33.33%", 3333n],
    ["$0.002", 2000n],
  ])("settles an override of %s below the authorised 10000", async (amount, charged) => {
    const { payment } = await verified();
    const outcome = await payment.settle({ amount });
    expect(outcome.type).toBe("settled");
    expect(outcome.settleResponse).toMatchObject({ success: true, amount: String(charged), payer: "alice" });
    expect(upto.balances.get("merchant")).toBe(charged);
    expect(upto.balances.get("alice")).toBe(1_000_000n - charged);
  });

  it("charges nothing and calls no facilitator for a zero charge; the receipt is a success without transaction", async () => {
    const { payment } = await verified();
    const outcome = await payment.settle({ amount: "0" });
    expect(outcome.type).toBe("settled");
    if (outcome.type !== "settled") return;
    expect(decodePaymentResponseHeader(outcome.headers["PAYMENT-RESPONSE"] as string)).toEqual({
      success: true,
      transaction: "",
      network: LEDGER_NETWORK,
      amount: "0",
      payer: "alice",
    });
    expect(upto.calls.settle).toBe(0);
    expect(upto.balances.get("merchant")).toBeUndefined();
  });

  it("refuses a charge above the authorised amount: typed error, nothing settled, the payment can be retried", async () => {
    const { payment, headers } = await verified();
    await expect(payment.settle({ amount: "10001" })).rejects.toMatchObject({
      code: "invalid_settlement_amount",
    });
    await expect(payment.settle({ amount: "1" })).rejects.toMatchObject({
      code: "invalid_transaction_state",
    });
    expect(upto.calls.settle).toBe(0);
    expect(upto.balances.get("merchant")).toBeUndefined();
    expect((await http.processRequest(request("/generate", headers, "POST"))).type).toBe("payment-verified");
  });

  it.each(["abc", "-5", "$x", "120%"])("refuses the malformed or excessive override %j", async (amount) => {
    const { payment } = await verified();
    await expect(payment.settle({ amount })).rejects.toMatchObject({ code: "invalid_settlement_amount" });
    expect(upto.calls.settle).toBe(0);
  });

  it("afterHandler settles what the Settlement-Overrides header reports, and releases for a failed handler", async () => {
    const reported = await verified();
    const header = (value: string) => (name: string) =>
      name === SETTLEMENT_OVERRIDES_HEADER ? value : undefined;
    const done = await reported.payment.afterHandler({ status: 200, getHeader: header('{"amount":"1234"}') });
    expect(done.type === "settled" && done.settleResponse.amount).toBe("1234");

    const failed = await verified();
    expect(await failed.payment.afterHandler({ status: 500, getHeader: header('{"amount":"1"}') })).toEqual({
      type: "released",
    });
    expect(upto.balances.get("merchant")).toBe(1234n);

    const excessive = await verified();
    const refused = await excessive.payment.afterHandler({
      status: 200,
      getHeader: header('{"amount":"99999"}'),
    });
    expect(refused.type).toBe("failed");
    if (refused.type !== "failed") return;
    expect(refused.response.status).toBe(402);
    expect(decodePaymentResponseHeader(refused.response.headers["PAYMENT-RESPONSE"] as string)).toMatchObject(
      {
        success: false,
        errorReason: "invalid_settlement_amount",
      },
    );
    expect(upto.balances.get("merchant")).toBe(1234n);
  });

  it("ignores a malformed Settlement-Overrides header (as the official middleware does): the authorised amount", async () => {
    const { payment } = await verified();
    const done = await payment.afterHandler({ status: 200, getHeader: () => "{not json" });
    expect(done.type === "settled" && done.settleResponse.amount).toBe("10000");
  });
});

describe("voucher-like: the server scheme verifies and settles locally", () => {
  let facilitator: LedgerFacilitator;
  let vouchers: LedgerVoucherServer;
  let http: x402HTTPResourceServer;

  beforeEach(async () => {
    // The facilitator supports the kind (so the route is valid) but must never be called.
    facilitator = new LedgerFacilitator("ledger-voucher");
    vouchers = new LedgerVoucherServer();
    vouchers.open("alice>merchant", 100_000n);
    const server = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, facilitator),
    ).register("test:*", vouchers);
    http = new x402HTTPResourceServer(server, { "GET /tick": option("ledger-voucher") });
  });

  it("charges cumulative vouchers without the facilitator", async () => {
    const client = new LedgerVoucherClient("alice");
    for (const expected of [10_000n, 20_000n, 30_000n]) {
      const result = await http.processRequest(request("/tick", await payFor(http, "/tick", client)));
      if (result.type !== "payment-verified") throw new Error(JSON.stringify(result));
      const done = await result.payment.afterHandler({ status: 200 });
      if (done.type !== "settled") throw new Error(JSON.stringify(done));
      const receipt = decodePaymentResponseHeader(done.headers["PAYMENT-RESPONSE"] as string);
      expect(receipt).toMatchObject({ success: true, transaction: "", amount: "10000", payer: "alice" });
      client.acceptReceipt(receipt);
      expect(vouchers.channels.get("alice>merchant")?.charged).toBe(expected);
    }
    expect(facilitator.calls).toEqual({ verify: 0, settle: 0 });
  });

  it("answers a stale ceiling with a corrective 402 whose accepts carries the channel state; the client follows it once", async () => {
    vouchers.open("alice>merchant", 100_000n, 40_000n); // charged earlier, unknown to this client
    const client = new LedgerVoucherClient("alice");
    const stale = await http.processRequest(request("/tick", await payFor(http, "/tick", client)));
    expect(stale.type === "payment-error" && stale.response.status).toBe(402);
    expect(errorOf(stale).error).toBe(VOUCHER_MISMATCH);
    const corrective = paymentRequiredOf(stale);
    expect(corrective.error).toBe(VOUCHER_MISMATCH);
    expect(corrective.accepts[0]?.extra).toEqual({
      channelState: { channel: "alice>merchant", charged: "40000" },
    });

    const retried = await http.processRequest(request("/tick", await signFor(corrective, client)));
    expect(retried.type).toBe("payment-verified");
    if (retried.type !== "payment-verified") return;
    await retried.payment.afterHandler({ status: 200 });
    expect(vouchers.channels.get("alice>merchant")?.charged).toBe(50_000n);
    // The plain 402 never carries per-request data.
    expect(paymentRequiredOf(await http.processRequest(request("/tick"))).accepts[0]?.extra).toEqual({});
    expect(facilitator.calls).toEqual({ verify: 0, settle: 0 });
  });

  it("lets the scheme undo its reservation when the handler fails, so the same voucher can be used again", async () => {
    const headers = await payFor(http, "/tick", new LedgerVoucherClient("alice"));
    const first = await http.processRequest(request("/tick", headers));
    if (first.type !== "payment-verified") throw new Error("expected verified");
    expect(await first.payment.afterHandler({ status: 503 })).toEqual({ type: "released" });
    await new Promise((r) => setTimeout(r, 0));
    expect(vouchers.released).toEqual(["alice>merchant"]);
    const again = await http.processRequest(request("/tick", headers));
    expect(again.type).toBe("payment-verified");
    expect(vouchers.channels.get("alice>merchant")?.charged).toBe(0n);
  });

  it("runs the server's hooks around the scheme's own verify and settle", async () => {
    const seen: string[] = [];
    http.server
      .onAfterVerify(({ result }) => {
        seen.push(`verified:${result.payer}`);
      })
      .onBeforeSettle(({ requirements }) =>
        requirements.amount === "10000" ? { abort: true, reason: "settlement_paused" } : undefined,
      );
    const result = await http.processRequest(
      request("/tick", await payFor(http, "/tick", new LedgerVoucherClient("alice"))),
    );
    if (result.type !== "payment-verified") throw new Error(JSON.stringify(result));
    const done = await result.payment.afterHandler({ status: 200 });
    expect(done.type === "failed" && done.settleResponse?.errorReason).toBe("settlement_paused");
    expect(seen).toEqual(["verified:alice"]);
    expect(vouchers.channels.get("alice>merchant")?.charged).toBe(0n);
    await new Promise((r) => setTimeout(r, 0));
    expect(vouchers.channels.get("alice>merchant")?.pending).toBeUndefined(); // released, not left busy
    expect(facilitator.calls).toEqual({ verify: 0, settle: 0 });
  });
});
