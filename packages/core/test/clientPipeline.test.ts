import type { PaymentRequirements } from "@x402kit/core";
import {
  type PaymentResponseContext,
  payForResponse,
  type TransportResponse,
  x402Client,
} from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { x402HTTPResourceServer, x402ResourceServer } from "@x402kit/core/server";
import { beforeEach, describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerFacilitator } from "./ledgerScheme.js";
import { LedgerVoucherClient, LedgerVoucherServer, VOUCHER_MISMATCH } from "./ledgerVoucherScheme.js";
import { request } from "./support/payFor.js";

// The client loop against core's real server pipeline; the voucher scheme (both halves) is a
// TEST DOUBLE of batch-settlement (ledgerVoucherScheme.ts). Here the client half gains the
// seam under test: it hears every answer through handlePaymentResponse.
class FollowingVoucherClient extends LedgerVoucherClient {
  readonly heard: PaymentResponseContext[] = [];

  handlePaymentResponse(context: PaymentResponseContext) {
    this.heard.push(context);
    if (context.settleResponse?.success) this.acceptReceipt(context.settleResponse);
    const required = context.paymentRequired;
    // Corrective only when the server says so and sends the channel state to sign against.
    if (required?.error === VOUCHER_MISMATCH && required.accepts[0]?.extra?.channelState)
      return { recovered: true } as const;
    return undefined;
  }
}

type Answer = { status: number; headers: Record<string, string> };

describe("client loop × server pipeline, batch-settlement-like double", () => {
  let vouchers: LedgerVoucherServer;
  let facilitator: LedgerFacilitator;
  let http: x402HTTPResourceServer;
  const requests: Array<Record<string, string>> = [];

  // One HTTP exchange through the pipeline: 402s as they are, paid requests run the "handler".
  const send = async (headers: Record<string, string>): Promise<TransportResponse<Answer>> => {
    requests.push(headers);
    const result = await http.processRequest(request("/tick", headers));
    let answer: Answer;
    if (result.type === "payment-error")
      answer = { status: result.response.status, headers: result.response.headers };
    else if (result.type === "no-payment-required") answer = { status: 200, headers: {} };
    else {
      const done = await result.payment.afterHandler({ status: 200 });
      answer =
        done.type === "settled"
          ? { status: 200, headers: done.headers }
          : done.type === "failed"
            ? { status: done.response.status, headers: done.response.headers }
            : { status: 500, headers: {} };
    }
    const lower = Object.fromEntries(Object.entries(answer.headers).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      status: answer.status,
      getHeader: (name) => lower[name.toLowerCase()],
      readJson: async () => ({}),
      response: answer,
    };
  };

  beforeEach(() => {
    requests.length = 0;
    facilitator = new LedgerFacilitator("ledger-voucher");
    vouchers = new LedgerVoucherServer();
    const server = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, facilitator),
    ).register("test:*", vouchers);
    http = new x402HTTPResourceServer(server, {
      "GET /tick": {
        accepts: { scheme: "ledger-voucher", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" },
      },
    });
  });

  it("pays vouchers in a row, the scheme taking each receipt as its new baseline", async () => {
    vouchers.open("alice>merchant", 100_000n);
    const scheme = new FollowingVoucherClient("alice");
    const client = new x402Client().register("test:*", scheme);
    for (const expected of [10_000n, 20_000n, 30_000n]) {
      expect((await payForResponse(client, send)).status).toBe(200);
      expect(vouchers.channels.get("alice>merchant")?.charged).toBe(expected);
    }
    expect(scheme.heard.map((h) => h.settleResponse?.success)).toEqual([true, true, true]);
    expect(requests.filter((h) => h["PAYMENT-SIGNATURE"])).toHaveLength(3);
    expect(facilitator.calls).toEqual({ verify: 0, settle: 0 });
  });

  it("follows the pipeline's corrective 402 once, signing against the channel state it carries", async () => {
    vouchers.open("alice>merchant", 100_000n, 40_000n); // charged before this client (re)started
    const scheme = new FollowingVoucherClient("alice");
    const client = new x402Client().register("test:*", scheme);
    const response = await payForResponse(client, send);
    expect(response.status).toBe(200);
    expect(vouchers.channels.get("alice>merchant")?.charged).toBe(50_000n);
    expect(scheme.heard.map((h) => h.status)).toEqual([402, 200]);
    expect(scheme.heard[0]?.paymentRequired?.error).toBe(VOUCHER_MISMATCH);
    // unpaid, stale voucher, corrected voucher
    expect(requests.map((h) => Object.keys(h))).toEqual([[], ["PAYMENT-SIGNATURE"], ["PAYMENT-SIGNATURE"]]);
  });

  it("does not re-pay a corrective 402 beyond the budget", async () => {
    vouchers.open("alice>merchant", 100_000n, 40_000n);
    const client = new x402Client().register("test:*", new FollowingVoucherClient("alice"));
    const { x402HTTPClient } = await import("@x402kit/core/client");
    const response = await payForResponse(new x402HTTPClient(client, { maxPaymentRetries: 0 }), send);
    expect(response.status).toBe(402);
    expect(vouchers.channels.get("alice>merchant")?.charged).toBe(40_000n);
    expect(requests).toHaveLength(2);
  });

  it("gives up on a channel the server does not know (a plain rejection, no corrective data)", async () => {
    const scheme = new FollowingVoucherClient("alice");
    const client = new x402Client().register("test:*", scheme);
    const response = await payForResponse(client, send);
    expect(response.status).toBe(402);
    expect(requests).toHaveLength(2);
    const refused = scheme.heard[0]?.paymentRequired;
    expect(refused?.error).toBeTruthy();
    expect(refused?.error).not.toBe(VOUCHER_MISMATCH);
    expect((refused?.accepts[0] as PaymentRequirements | undefined)?.extra).toEqual({});
  });
});
