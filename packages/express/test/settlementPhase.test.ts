import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402kit/core/http";
import { x402ResourceServer } from "@x402kit/core/server";
import { paymentMiddleware } from "@x402kit/express";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  LEDGER_NETWORK,
  LedgerClient,
  LedgerFacilitator,
  LedgerServer,
} from "../../core/test/ledgerScheme.js";
import { signFor } from "../../core/test/support/payFor.js";

// The ledger scheme is core's in-memory TEST DOUBLE; what is under test is the adapter's timing.
const option = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;

describe("express: settlementPhase before-handler", () => {
  const ledger = new LedgerFacilitator();
  const settle = ledger.settle.bind(ledger);
  let server: Server;
  let base: string;
  let handlerRuns = 0;
  let merchantAtHandler: bigint | undefined;
  /** Resolved by the test to let the streaming handler finish. */
  let finishStream: () => void = () => {};

  beforeAll(async () => {
    const resourceServer = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, ledger),
    ).register("test:*", new LedgerServer());
    const app = express();
    app.use(
      paymentMiddleware(
        {
          "GET /upfront": { accepts: option, settlementPhase: "before-handler" },
          "GET /upfront-fails": { accepts: option, settlementPhase: "before-handler" },
        },
        resourceServer,
      ),
    );
    app.get("/upfront", (_req, res) => {
      handlerRuns += 1;
      merchantAtHandler = ledger.balances.get("merchant");
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: one\n\n");
      finishStream = () => res.end("data: two\n\n");
    });
    app.get("/upfront-fails", (_req, res) => {
      handlerRuns += 1;
      res.status(500).send("handler failed");
    });
    await new Promise<void>((resolve) => {
      server = app.listen(0, "127.0.0.1", () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    ledger.settle = settle;
    ledger.balances.set("alice", 1_000_000n);
    ledger.balances.delete("merchant");
    handlerRuns = 0;
    merchantAtHandler = undefined;
  });

  async function paymentHeaders(path: string) {
    const unpaid = await fetch(base + path);
    expect(unpaid.status).toBe(402);
    return signFor(
      decodePaymentRequiredHeader(unpaid.headers.get("payment-required") as string),
      new LedgerClient("alice"),
    );
  }

  it("settles before the handler, sends the receipt up front and streams without holding", async () => {
    const headers = await paymentHeaders("/upfront");
    // node:http, to read the first chunk while the handler still holds its response open.
    const { status, receipt, first } = await new Promise<{
      status?: number;
      receipt?: string;
      first: string;
    }>((resolve, reject) => {
      const req = httpRequest(`${base}/upfront`, { headers }, (res) => {
        res.once("data", (chunk: Buffer) =>
          resolve({
            status: res.statusCode,
            receipt: res.headers["payment-response"] as string,
            first: String(chunk),
          }),
        );
      });
      req.on("error", reject).end();
    });
    expect(merchantAtHandler).toBe(10_000n);
    expect(status).toBe(200);
    expect(first).toBe("data: one\n\n");
    expect(decodePaymentResponseHeader(receipt as string)).toMatchObject({ success: true, payer: "alice" });
    finishStream();
  });

  it("a failed settlement answers 402 with the reason and the handler never runs", async () => {
    const headers = await paymentHeaders("/upfront");
    ledger.settle = (payload, requirements) => {
      ledger.balances.set("alice", 0n); // the funds moved away between verify and settle
      return settle(payload, requirements);
    };
    const response = await fetch(`${base}/upfront`, { headers });
    expect(response.status).toBe(402);
    expect(await response.json()).toMatchObject({ error: "insufficient_funds" });
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: false,
      errorReason: "insufficient_funds",
    });
    expect(handlerRuns).toBe(0);
    expect(ledger.balances.get("merchant")).toBeUndefined();
  });

  it("a handler failing after settlement was charged, and its answer carries the receipt", async () => {
    const response = await fetch(`${base}/upfront-fails`, {
      headers: await paymentHeaders("/upfront-fails"),
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("handler failed");
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string).success).toBe(
      true,
    );
    expect(handlerRuns).toBe(1);
    expect(ledger.balances.get("merchant")).toBe(10_000n);
  });
});
