import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HTTPFacilitatorClient } from "@x402kit/core/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A real loopback HTTP server standing in for a facilitator with an extension route.
describe("HTTPFacilitatorClient", () => {
  let server: Server;
  let url: string;
  const seen: Array<{ method?: string; url?: string; auth?: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      res.setHeader("content-type", "application/json");
      if (req.url?.startsWith("/discovery/resources"))
        return res.end(
          JSON.stringify({ x402Version: 2, items: [], pagination: { limit: 20, offset: 0, total: 0 } }),
        );
      if (req.url === "/echo") return res.end(body);
      res.statusCode = 404;
      res.end(JSON.stringify({ error: "not found" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("calls an extension's endpoint with that extension's auth headers", async () => {
    const client = new HTTPFacilitatorClient({
      url,
      createAuthHeaders: async () => ({
        bazaar: { authorization: "Bearer discovery" },
        verify: { authorization: "v" },
      }),
    });
    expect(client.url).toBe(url.slice(0, -1));
    const page = await client.request("/discovery/resources?type=http", { authKey: "bazaar" });
    expect(page).toEqual({ x402Version: 2, items: [], pagination: { limit: 20, offset: 0, total: 0 } });
    expect(seen.at(-1)).toMatchObject({
      method: "GET",
      url: "/discovery/resources?type=http",
      auth: "Bearer discovery",
    });
    expect(await client.request("echo", { body: { a: 1n } })).toEqual({ a: "1" });
    expect(seen.at(-1)).toMatchObject({ method: "POST", auth: undefined });
    expect(await client.createAuthHeaders("verify")).toEqual({ headers: { authorization: "v" } });
  });

  it("types an endpoint's failure (502) and refuses flat auth headers", async () => {
    const client = new HTTPFacilitatorClient({ url });
    await expect(client.request("missing")).rejects.toMatchObject({
      code: "facilitator_bad_response",
      status: 502,
    });
    const flat = new HTTPFacilitatorClient({
      url,
      createAuthHeaders: async () =>
        ({ authorization: "Bearer x" }) as unknown as Record<string, Record<string, string>>,
    });
    await expect(flat.getSupported()).rejects.toMatchObject({ code: "invalid_facilitator_config" });
  });

  it("defaults to the public facilitator, as the official client does", () => {
    expect(new HTTPFacilitatorClient().url).toBe("https://x402.org/facilitator");
  });
});
