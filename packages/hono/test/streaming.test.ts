import { decodePaymentResponseHeader } from "@x402kit/core/http";
import { paymentMiddleware } from "@x402kit/hono";
import { type Context, Hono } from "hono";
import { stream } from "hono/streaming";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerClient, LedgerFacilitator } from "../../core/test/ledgerScheme.js";
import { ledgerResourceServer, listen, paymentHeaders, type Served } from "./support/serve.js";

// The ledger scheme is core's in-memory TEST DOUBLE; what is under test is when bytes leave.
const accepts = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** When things happened, in ms since the test started (performance.now()). */
interface Timeline {
  lastWrite?: number;
  settleStarted?: number;
  settleEnded?: number;
  merchantAtHandlerStart?: bigint | undefined;
}

describe("hono: streamed answers and settlement timing", () => {
  const ledger = new LedgerFacilitator();
  const client = new LedgerClient("alice");
  let served: Served;
  let timeline: Timeline;
  let refuseSettlement = false;

  beforeAll(async () => {
    const settle = ledger.settle.bind(ledger);
    ledger.settle = async (payload, requirements) => {
      timeline.settleStarted = performance.now();
      if (refuseSettlement)
        return {
          success: false,
          errorReason: "insufficient_funds",
          transaction: "",
          network: LEDGER_NETWORK,
        };
      const result = await settle(payload, requirements);
      timeline.settleEnded = performance.now();
      return result;
    };
    const app = new Hono();
    app.onError((_error, c) => c.text("handler failed", 500));
    app.use(
      paymentMiddleware(
        {
          "GET /stream": { accepts },
          "GET /broken": { accepts },
          "GET /upfront": { accepts, settlementPhase: "before-handler" },
          "GET /upfront-fails": { accepts, settlementPhase: "before-handler" },
        },
        ledgerResourceServer(ledger),
      ),
    );
    const threeParts = (c: Context) => {
      timeline.merchantAtHandlerStart = ledger.balances.get("merchant");
      c.header("content-type", "text/event-stream");
      return stream(c, async (s) => {
        for (const part of ["one", "two", "three"]) {
          await s.write(`data: ${part}\n\n`);
          timeline.lastWrite = performance.now();
          if (part !== "three") await sleep(60);
        }
      });
    };
    app.get("/stream", threeParts);
    app.get("/upfront", threeParts);
    app.get("/upfront-fails", threeParts);
    app.get("/broken", () => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent) return controller.error(new Error("upstream cut off"));
          sent = true;
          controller.enqueue(new TextEncoder().encode("partial-paid-bytes"));
        },
      });
      return new Response(body, { headers: { "content-type": "text/plain" } });
    });
    served = await listen(app);
  });
  afterAll(() => served.close());
  beforeEach(() => {
    timeline = {};
    refuseSettlement = false;
    ledger.balances.set("alice", 1_000_000n);
    ledger.balances.delete("merchant");
  });

  it("after-handler: holds the whole stream, settles after its last byte, then sends it all", async () => {
    const headers = await paymentHeaders(served.base, "/stream", client);
    const response = await fetch(`${served.base}/stream`, { headers });
    const headAt = performance.now();
    expect(response.status).toBe(200);
    expect(timeline.merchantAtHandlerStart).toBeUndefined();
    expect(timeline.settleStarted).toBeGreaterThanOrEqual(timeline.lastWrite as number);
    expect(headAt).toBeGreaterThanOrEqual(timeline.settleEnded as number);
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string).success).toBe(
      true,
    );
    expect(await response.text()).toBe("data: one\n\ndata: two\n\ndata: three\n\n");
  });

  it("after-handler: a stream that breaks is a failed handler — nothing charged, no byte sent", async () => {
    const headers = await paymentHeaders(served.base, "/broken", client);
    const response = await fetch(`${served.base}/broken`, { headers });
    expect(response.status).toBe(500);
    expect(response.headers.get("payment-response")).toBeNull();
    expect(await response.text()).not.toContain("partial-paid-bytes");
    expect(timeline.settleStarted).toBeUndefined();
    expect(ledger.balances.get("merchant")).toBeUndefined();
  });

  it("before-handler: settles before the handler runs, then streams without holding", async () => {
    const headers = await paymentHeaders(served.base, "/upfront", client);
    const response = await fetch(`${served.base}/upfront`, { headers });
    expect(response.status).toBe(200);
    expect(timeline.merchantAtHandlerStart).toBe(10_000n);
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string).success).toBe(
      true,
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    const firstAt = performance.now();
    expect(new TextDecoder().decode(first.value)).toBe("data: one\n\n");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe("data: two\n\ndata: three\n\n");
    // The first event arrived while the handler was still writing (its last write came later).
    expect(firstAt).toBeLessThan(timeline.lastWrite as number);
  });

  it("before-handler: a failed settlement answers 402 and the handler never runs", async () => {
    const headers = await paymentHeaders(served.base, "/upfront-fails", client);
    refuseSettlement = true;
    const response = await fetch(`${served.base}/upfront-fails`, { headers });
    expect(response.status).toBe(402);
    expect(await response.text()).not.toContain("data:");
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string)).toMatchObject({
      success: false,
      errorReason: "insufficient_funds",
    });
    expect(timeline.settleStarted).toBeDefined();
    expect("merchantAtHandlerStart" in timeline).toBe(false);
  });
});
