import {
  getPaymentReceipt,
  wrapFetchWithPayment,
  wrapFetchWithPaymentFromConfig,
  x402Client,
} from "@x402kit/fetch";
import { describe, expect, it } from "vitest";
import {
  decodeXPayment,
  TALLY_ASSET,
  TALLY_NETWORK,
  TallyClientScheme,
  TallyClientSchemeV1,
  TallyServer,
} from "../../core/test/doubles/clientTallyScheme.js";

// fetch glue over core's loop, against core's "tally" TEST DOUBLES (scheme and server).
function fetchFor(server: TallyServer, bodies: string[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    bodies.push(await request.text());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const answer = server.handle({ url: request.url, headers });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
}

describe("wrapFetchWithPayment over core's loop", () => {
  it("re-sends the body with every payment, following a corrective 402 once", async () => {
    const server = new TallyServer({ charged: 30_000n });
    const bodies: string[] = [];
    const scheme = new TallyClientScheme();
    const pay = wrapFetchWithPayment(fetchFor(server, bodies), new x402Client().register("test:*", scheme));
    const response = await pay("http://shop.test/item", { method: "POST", body: "order-42" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("content");
    expect(bodies).toEqual(["order-42", "order-42", "order-42"]);
    expect(getPaymentReceipt(response)?.extra).toEqual({ chargedCumulative: "40000" });
    expect(scheme.charged).toBe(40_000n);
  });

  it("returns the 402 of a plain rejection without paying again", async () => {
    const server = new TallyServer({ mode: "reject" });
    const pay = wrapFetchWithPayment(
      fetchFor(server, []),
      new x402Client().register("test:*", new TallyClientScheme()),
    );
    expect((await pay("http://shop.test/item")).status).toBe(402);
    expect(server.requests).toHaveLength(2);
  });

  it("takes a retry budget (0: a corrective 402 is returned as it is)", async () => {
    const server = new TallyServer({ charged: 30_000n });
    const client = new x402Client().register("test:*", new TallyClientScheme());
    const pay = wrapFetchWithPayment(fetchFor(server, []), client, { maxPaymentRetries: 0 });
    expect((await pay("http://shop.test/item")).status).toBe(402);
    expect(server.requests).toHaveLength(2);
  });

  it("wrapFetchWithPaymentFromConfig pays a v1 server with X-PAYMENT", async () => {
    const sent: Request[] = [];
    const v1Server: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      sent.push(request);
      if (request.headers.has("x-payment")) return new Response("v1 content");
      return Response.json(
        {
          x402Version: 1,
          accepts: [
            {
              scheme: "tally",
              network: "tally-testnet",
              maxAmountRequired: "5000",
              resource: request.url,
              payTo: "merchant",
              maxTimeoutSeconds: 60,
              asset: TALLY_ASSET,
            },
          ],
        },
        { status: 402 },
      );
    };
    const pay = wrapFetchWithPaymentFromConfig(v1Server, {
      schemes: [
        { network: TALLY_NETWORK, client: new TallyClientScheme() },
        { network: "tally-testnet", client: new TallyClientSchemeV1(), x402Version: 1 },
      ],
    });
    const response = await pay("http://legacy.test/item");
    expect(await response.text()).toBe("v1 content");
    expect(sent[1]?.headers.has("payment-signature")).toBe(false);
    expect(decodeXPayment(sent[1]?.headers.get("x-payment") ?? "")).toMatchObject({
      x402Version: 1,
      network: "tally-testnet",
    });
  });
});
