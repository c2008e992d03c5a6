import { getPaymentReceipt, wrapAxiosWithPayment, wrapAxiosWithPaymentFromConfig } from "@x402kit/axios";
import { x402Client, x402HTTPClient } from "@x402kit/core/client";
import axios, { AxiosError } from "axios";
import { afterEach, describe, expect, it } from "vitest";
import {
  decodeXPayment,
  TALLY_ASSET,
  TALLY_NETWORK,
  TallyClientScheme,
  TallyClientSchemeV1,
  TallyServer,
} from "../../core/test/doubles/clientTallyScheme.js";
import { type Answer, type SeenRequest, startLoopbackServer } from "./loopbackServer.js";

// axios glue over core's loop, against core's "tally" TEST DOUBLES (scheme and server), served
// on loopback so axios's real adapter carries every request.
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serve(handle: (request: SeenRequest) => Answer) {
  const server = await startLoopbackServer(handle);
  servers.push(server);
  return server;
}

function serveTally(tally: TallyServer) {
  return serve((request) =>
    tally.handle({ url: `http://shop.test${request.url}`, headers: request.headers }),
  );
}

describe("wrapAxiosWithPayment over core's loop", () => {
  it("follows a corrective 402 once, re-sending the body with every payment", async () => {
    const tally = new TallyServer({ charged: 30_000n });
    const server = await serveTally(tally);
    const scheme = new TallyClientScheme();
    const api = wrapAxiosWithPayment(axios.create(), new x402Client().register("test:*", scheme));
    const response = await api.post(`${server.url}/item`, "order-42", {
      headers: { "content-type": "text/plain" },
    });
    expect(response.status).toBe(200);
    expect(response.data).toBe("content");
    expect(server.seen.map((r) => r.body)).toEqual(["order-42", "order-42", "order-42"]);
    expect(getPaymentReceipt(response)?.extra).toEqual({ chargedCumulative: "40000" });
    expect(scheme.charged).toBe(40_000n);
  });

  it("does not follow a corrective 402 more often than the budget allows", async () => {
    const server = await serveTally(new TallyServer({ mode: "stubborn" }));
    const client = new x402Client().register("test:*", new TallyClientScheme());
    const error = await wrapAxiosWithPayment(axios.create(), client, { maxPaymentRetries: 2 })
      .get(`${server.url}/item`)
      .catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(402);
    expect(server.seen).toHaveLength(4);
  });

  it("returns the 402 of a plain rejection without paying again", async () => {
    const server = await serveTally(new TallyServer({ mode: "reject" }));
    const client = new x402Client().register("test:*", new TallyClientScheme());
    const api = wrapAxiosWithPayment(axios.create(), client);
    const error = await api.get(`${server.url}/item`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).response?.status).toBe(402);
    expect(server.seen).toHaveLength(2);
    // With a validateStatus that accepts 402, the same answer resolves instead.
    const resolved = await api.get(`${server.url}/item`, { validateStatus: (s) => s < 500 });
    expect(resolved.status).toBe(402);
    expect(server.seen).toHaveLength(4);
  });

  it("takes a retry budget (0: a corrective 402 is returned as it is)", async () => {
    const server = await serveTally(new TallyServer({ charged: 30_000n }));
    const client = new x402Client().register("test:*", new TallyClientScheme());
    const error = await wrapAxiosWithPayment(axios.create(), client, { maxPaymentRetries: 0 })
      .get(`${server.url}/item`)
      .catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(402);
    expect(server.seen).toHaveLength(2);
  });

  it("tries the onPaymentRequired hook's headers first and pays nothing when they suffice", async () => {
    const tally = new TallyServer();
    const server = await serve((request) =>
      request.headers.authorization === "Bearer member"
        ? { status: 200, body: "members get it free" }
        : tally.handle({ url: `http://shop.test${request.url}`, headers: request.headers }),
    );
    const urls: string[] = [];
    const http = new x402HTTPClient(new x402Client().register("test:*", new TallyClientScheme()));
    http.onPaymentRequired(async ({ requestUrl }) => {
      urls.push(requestUrl);
      return { headers: { authorization: "Bearer member" } };
    });
    const api = wrapAxiosWithPayment(axios.create({ baseURL: server.url }), http);
    const response = await api.get("/item", { params: { q: "1" } });
    expect(response.data).toBe("members get it free");
    expect(urls).toEqual([`${server.url}/item?q=1`]);
    expect(server.seen.map((r) => r.headers["payment-signature"])).toEqual([undefined, undefined]);
  });

  it.each(["json", "text", "arraybuffer"] as const)(
    "wrapAxiosWithPaymentFromConfig pays a v1 server with X-PAYMENT, reading the 402 body (responseType %s)",
    async (responseType) => {
      const server = await serveV1();
      const api = wrapAxiosWithPaymentFromConfig(axios.create({ responseType }), {
        schemes: [
          { network: TALLY_NETWORK, client: new TallyClientScheme() },
          { network: "tally-testnet", client: new TallyClientSchemeV1(), x402Version: 1 },
        ],
      });
      const response = await api.get(`${server.url}/item`);
      expect(Buffer.from(response.data).toString()).toBe("v1 content");
      expect(server.seen[1]?.headers["payment-signature"]).toBeUndefined();
      expect(decodeXPayment(server.seen[1]?.headers["x-payment"] ?? "")).toMatchObject({
        x402Version: 1,
        network: "tally-testnet",
      });
    },
  );

  it("pays with responseType stream, the paid body arriving as a stream", async () => {
    const server = await serveTally(new TallyServer());
    const api = wrapAxiosWithPayment(
      axios.create(),
      new x402Client().register("test:*", new TallyClientScheme()),
    );
    const response = await api.get(`${server.url}/item`, { responseType: "stream" });
    const chunks: Buffer[] = [];
    for await (const chunk of response.data) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("content");
    expect(getPaymentReceipt(response)?.success).toBe(true);
    expect(server.seen).toHaveLength(2);
  });

  async function serveV1() {
    return serve((request) => {
      if (request.headers["x-payment"]) return { status: 200, body: "v1 content" };
      const accepts = [
        {
          scheme: "tally",
          network: "tally-testnet",
          maxAmountRequired: "5000",
          resource: `http://legacy.test${request.url}`,
          payTo: "merchant",
          maxTimeoutSeconds: 60,
          asset: TALLY_ASSET,
        },
      ];
      return {
        status: 402,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ x402Version: 1, accepts }),
      };
    });
  }

  it("reports a 402 without requirements as a typed error and leaves network errors alone", async () => {
    const server = await serve(() => ({ status: 402, body: "pay me somehow" }));
    const api = wrapAxiosWithPayment(
      axios.create(),
      new x402Client().register("test:*", new TallyClientScheme()),
    );
    await expect(api.get(`${server.url}/x`)).rejects.toMatchObject({ code: "invalid_payment_requirements" });
    const url = server.url;
    await server.close();
    const error = await api.get(`${url}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).response).toBeUndefined();
  });
});
