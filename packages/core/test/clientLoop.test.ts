import { payForResponse, x402Client, x402HTTPClient } from "@x402kit/core/client";
import { describe, expect, it } from "vitest";
import {
  decodeXPayment,
  TALLY_ASSET,
  TALLY_MISMATCH,
  TALLY_NETWORK,
  TallyClientScheme,
  TallyClientSchemeV1,
  TallyServer,
} from "./doubles/clientTallyScheme.js";

// core's client loop against TEST DOUBLES (a cumulative "tally" scheme and its server).
const URL_ = "http://shop.test/item";
const paidRequests = (server: TallyServer) => server.requests.filter((r) => r.headers["payment-signature"]);

function setup(serverOptions: ConstructorParameters<typeof TallyServer>[0] = {}) {
  const scheme = new TallyClientScheme();
  const client = new x402Client().register("test:*", scheme);
  const server = new TallyServer(serverOptions);
  return { scheme, client, server };
}

describe("payForResponse: the 402 → pay → retry loop", () => {
  it("pays a 402 once and hands the PAYMENT-RESPONSE to the scheme", async () => {
    const { scheme, client, server } = setup();
    const response = await payForResponse(client, server.sender(URL_));
    expect(response).toEqual({ status: 200, body: "content" });
    expect(server.requests).toHaveLength(2);
    expect(scheme.responses).toHaveLength(1);
    expect(scheme.responses[0]).toMatchObject({
      status: 200,
      requirements: { scheme: "tally", network: TALLY_NETWORK },
      settleResponse: { success: true, extra: { chargedCumulative: "10000" } },
    });
    // The scheme adopted the server's count: the next payment continues from it.
    expect(scheme.charged).toBe(10_000n);
    await payForResponse(client, server.sender(URL_));
    expect(server.charged).toBe(20_000n);
    expect(paidRequests(server)).toHaveLength(2);
  });

  it("follows a corrective 402 exactly once, with a payload the scheme rebuilt from it", async () => {
    // The server has charged 30000 already; this client (restarted) believes 0.
    const { scheme, client, server } = setup({ charged: 30_000n });
    const response = await payForResponse(client, server.sender(URL_));
    expect(response.status).toBe(200);
    const signed = paidRequests(server).map((r) => r.headers["payment-signature"]);
    expect(signed).toHaveLength(2);
    expect(server.charged).toBe(40_000n);
    expect(scheme.responses.map((r) => r.status)).toEqual([402, 200]);
    expect(scheme.responses[0]?.paymentRequired?.error).toBe(TALLY_MISMATCH);
  });

  it("stops after the retry budget when the server keeps correcting", async () => {
    for (const [maxPaymentRetries, paid] of [
      [undefined, 2],
      [0, 1],
      [2, 3],
    ] as const) {
      const { client, server } = setup({ mode: "stubborn" });
      const http = new x402HTTPClient(client, maxPaymentRetries === undefined ? {} : { maxPaymentRetries });
      const response = await payForResponse(http, server.sender(URL_));
      expect(response.status).toBe(402);
      expect(paidRequests(server)).toHaveLength(paid);
    }
  });

  it("sends the same payment again while the settlement is pending, never signing a new one", async () => {
    const { scheme, client, server } = setup({ pendingAnswers: 2 });
    const response = await payForResponse(client, server.sender(URL_), { settlementPendingDelayMs: 0 });
    expect(response).toEqual({ status: 200, body: "content" });
    const signed = paidRequests(server).map((r) => r.headers["payment-signature"]);
    expect(signed).toHaveLength(3);
    expect(new Set(signed).size).toBe(1);
    expect(scheme.contexts).toHaveLength(1);
    expect(server.charged).toBe(10_000n);
  });

  it("gives up on a pending settlement after its retries and returns the 402", async () => {
    const { scheme, client, server } = setup({ pendingAnswers: 5 });
    const response = await payForResponse(client, server.sender(URL_), {
      settlementPendingDelayMs: 0,
      settlementPendingRetries: 1,
    });
    expect(response.status).toBe(402);
    expect(paidRequests(server)).toHaveLength(2);
    expect(scheme.contexts).toHaveLength(1);
  });

  it("never pays again after a plain rejection", async () => {
    const { scheme, client, server } = setup({ mode: "reject" });
    const response = await payForResponse(client, server.sender(URL_));
    expect(response.status).toBe(402);
    expect(paidRequests(server)).toHaveLength(1);
    expect(scheme.responses[0]?.paymentRequired?.error).toBe("insufficient_funds");
  });

  it("never pays again after a success, even when a hook asks for it", async () => {
    const { client, server } = setup();
    client.onPaymentResponse(async () => ({ recovered: true }));
    const response = await payForResponse(client, server.sender(URL_));
    expect(response.status).toBe(200);
    expect(paidRequests(server)).toHaveLength(1);
  });

  it("lets a payment-response hook recover a 402 (official semantics), within the same budget", async () => {
    const { client, server } = setup({ mode: "reject" });
    const seen: string[] = [];
    client.onPaymentResponse(async (ctx) => {
      seen.push(ctx.paymentRequired?.error ?? "");
      return { recovered: true };
    });
    await payForResponse(client, server.sender(URL_));
    expect(paidRequests(server)).toHaveLength(2);
    expect(seen).toEqual(["insufficient_funds", "insufficient_funds"]);
  });

  it("does not follow a corrective 402 about another resource", async () => {
    const { client, server } = setup({ charged: 30_000n, correctiveResource: "http://elsewhere.test/x" });
    const response = await payForResponse(client, server.sender(URL_));
    expect(response.status).toBe(402);
    expect(paidRequests(server)).toHaveLength(1);
  });

  it("returns non-402 answers untouched and never signs for them", async () => {
    const { scheme, client } = setup();
    const send = async () => ({
      status: 200,
      getHeader: () => undefined,
      readJson: async () => ({}),
      response: "free",
    });
    expect(await payForResponse(client, send)).toBe("free");
    expect(scheme.contexts).toHaveLength(0);
  });

  it("refuses to pay for a request that already carried a payment", async () => {
    const { client, server } = setup();
    await expect(
      payForResponse(client, server.sender(URL_), {
        requestHeaders: (n) => (n === "PAYMENT-SIGNATURE" ? "e30=" : null),
      }),
    ).rejects.toMatchObject({ code: "payment_already_attempted" });
    expect(server.requests).toHaveLength(1);
  });

  it("starts from a 402 already received (as an axios interceptor does)", async () => {
    const { client, server } = setup();
    const send = server.sender(URL_);
    const firstResponse = await send({});
    const response = await payForResponse(client, send, { firstResponse });
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("tries onPaymentRequired headers first and pays nothing when they suffice", async () => {
    const { scheme, client } = setup();
    const http = new x402HTTPClient(client).onPaymentRequired(async ({ requestUrl }) =>
      requestUrl === URL_ ? { headers: { "SIGN-IN-WITH-X": "proof" } } : undefined,
    );
    const sent: Array<Record<string, string>> = [];
    const server = new TallyServer();
    const send = async (headers: Record<string, string>) => {
      sent.push(headers);
      if (headers["SIGN-IN-WITH-X"])
        return {
          status: 200,
          getHeader: () => null,
          readJson: async () => 0,
          response: { status: 200, body: "member" },
        };
      return server.sender(URL_)(headers);
    };
    expect(await payForResponse(http, send, { requestUrl: URL_ })).toEqual({ status: 200, body: "member" });
    expect(sent).toEqual([{}, { "SIGN-IN-WITH-X": "proof" }]);
    expect(scheme.contexts).toHaveLength(0);
  });

  it("turns a 402 without requirements into a typed error", async () => {
    const { client } = setup();
    const send = async () => ({
      status: 402,
      getHeader: () => null,
      readJson: async () => ({}),
      response: 0,
    });
    await expect(payForResponse(client, send)).rejects.toMatchObject({
      code: "invalid_payment_requirements",
    });
  });
});

describe("v1 servers", () => {
  const v1Body = {
    x402Version: 1,
    error: "X-PAYMENT header is required",
    accepts: [
      {
        scheme: "tally",
        network: "tally-testnet",
        maxAmountRequired: "5000",
        resource: URL_,
        description: "",
        mimeType: "application/json",
        payTo: "merchant",
        maxTimeoutSeconds: 60,
        asset: TALLY_ASSET,
        extra: {},
      },
    ],
  };

  function v1Sender(received: Array<Record<string, string>>) {
    return async (headers: Record<string, string>) => {
      received.push(headers);
      const paid = headers["X-PAYMENT"] !== undefined;
      return {
        status: paid ? 200 : 402,
        getHeader: () => null,
        readJson: async () => v1Body,
        response: paid ? "v1 content" : "402",
      };
    };
  }

  it("get X-PAYMENT with the whole v1 payload from a scheme registered with registerV1", async () => {
    const v1 = new TallyClientSchemeV1();
    const client = new x402Client()
      .register("test:*", new TallyClientScheme())
      .registerV1("tally-testnet", v1);
    const received: Array<Record<string, string>> = [];
    expect(await payForResponse(client, v1Sender(received))).toBe("v1 content");
    const sent = received[1]!;
    expect(Object.keys(sent)).toEqual(["X-PAYMENT"]);
    expect(decodeXPayment(sent["X-PAYMENT"]!)).toEqual({
      x402Version: 1,
      scheme: "tally",
      network: "tally-testnet",
      payload: { from: "alice", amount: "5000" },
    });
    // The v1 scheme saw the entry as the server sent it (plus `amount` for spend controls).
    expect(v1.seen[0]).toMatchObject({ maxAmountRequired: "5000", amount: "5000", resource: URL_ });
  });

  it("are not paid by a client without v1 registrations", async () => {
    const client = new x402Client().register("test:*", new TallyClientScheme());
    await expect(payForResponse(client, v1Sender([]))).rejects.toMatchObject({
      code: "no_matching_requirements",
    });
  });

  it("are held to the spend controls like v2 (maxAmountRequired is the amount)", async () => {
    const client = new x402Client({ spendControls: { maxAmountPerPayment: "$0.001" } }).registerV1(
      "tally-testnet",
      new TallyClientSchemeV1(),
    );
    await expect(payForResponse(client, v1Sender([]))).rejects.toMatchObject({
      code: "spending_limit_exceeded",
    });
  });

  it("x402Client.fromConfig sends x402Version 1 entries to registerV1", async () => {
    const client = x402Client.fromConfig({
      schemes: [{ network: "tally-testnet", client: new TallyClientSchemeV1(), x402Version: 1 }],
    });
    expect((await client.createPaymentPayload(v1Body as never)).x402Version).toBe(1);
  });
});
