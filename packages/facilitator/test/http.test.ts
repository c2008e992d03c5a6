import { connect } from "node:net";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningFacilitatorServer, startFacilitatorServer } from "../src/index.js";
import { call, FakeScheme, NETWORK, post } from "./fixtures.js";

/** Send a request with a `size`-byte body over a raw socket, in chunks, then read the whole answer. */
function sendLargeBody(
  port: number,
  size: number,
  chunkSize = 64 * 1024,
): Promise<{ reply: string; error?: string; sent: number }> {
  return new Promise((resolve) => {
    let reply = "";
    let error: string | undefined;
    let sent = 0;
    const socket = connect(port, "127.0.0.1");
    socket.on("data", (chunk) => (reply += chunk));
    socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on("close", () => resolve({ reply, ...(error ? { error } : {}), sent }));
    socket.on("connect", () => {
      socket.write(
        `POST /settle HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
      );
      const chunk = Buffer.alloc(chunkSize, "x");
      const writeMore = () => {
        while (sent < size) {
          const piece = chunk.subarray(0, Math.min(chunkSize, size - sent));
          sent += piece.length;
          // A slow client: yield between chunks so the server sees the body arrive in parts.
          if (!socket.write(piece)) return void socket.once("drain", () => setTimeout(writeMore, 1));
          if (sent % (4 * chunkSize) === 0) return void setTimeout(writeMore, 1);
        }
        socket.end();
      };
      writeMore();
    });
  });
}

describe("an oversized body", () => {
  let service: RunningFacilitatorServer;
  beforeAll(async () => {
    const facilitator = new x402Facilitator().register(NETWORK, new FakeScheme());
    service = await startFacilitatorServer(facilitator, {
      port: 0,
      maxBodyBytes: 1024,
      discardBodyBytes: 4 * 1024 * 1024,
    });
  });
  afterAll(() => service.close());

  it("gets a 413 the client can read while it is still sending (no connection reset)", async () => {
    const { reply, error, sent } = await sendLargeBody(service.port, 3 * 1024 * 1024);
    expect(error).toBeUndefined();
    expect(sent).toBe(3 * 1024 * 1024);
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply.toLowerCase()).toContain("connection: close");
    expect(reply).toContain('"error":"payload_too_large"');
    expect((await call(`${service.url}/health`)).status).toBe(200);
  });

  it("fetch reads the 413 too", async () => {
    const res = await post(`${service.url}/verify`, JSON.stringify({ padding: "x".repeat(512 * 1024) }));
    expect(res).toMatchObject({ status: 413, body: { error: "payload_too_large" } });
  });

  it("beyond the discard limit is answered at once instead of being read", async () => {
    const size = 64 * 1024 * 1024;
    const { reply, sent } = await sendLargeBody(service.port, size);
    // The answer is sent before the body; whether the client still reads it before the reset
    // depends on timing. Either way nothing but a 413 comes back, and the server stopped
    // reading long before the whole body was sent.
    expect(reply === "" || /^HTTP\/1\.1 413 /.test(reply)).toBe(true);
    expect(sent).toBeLessThan(size);
    expect((await call(`${service.url}/health`)).status).toBe(200);
  });
});

describe("extension routes", () => {
  let open: RunningFacilitatorServer;
  let secured: RunningFacilitatorServer;
  const catalog: string[] = ["https://api.example/weather"];
  beforeAll(async () => {
    const facilitator = new x402Facilitator().register(NETWORK, new FakeScheme()).registerExtension({
      key: "bazaar",
      supported: () => ({ resources: catalog.length }),
      routes: [
        {
          method: "GET",
          path: "/discovery/resources",
          protected: false,
          handle: ({ query }) => ({
            status: 200,
            body: { items: catalog.slice(0, Number(query?.get("limit") ?? "10")) },
            headers: { "x-catalog-size": String(catalog.length) },
          }),
        },
        {
          method: "POST",
          path: "/discovery/resources",
          handle: ({ body }) => {
            catalog.push(String((body as { url?: unknown }).url));
            return { status: 201, body: { added: true } };
          },
        },
        // A built-in path cannot be taken over.
        { method: "GET", path: "/verify", handle: () => ({ status: 200, body: "hijacked" }) },
      ],
    });
    open = await startFacilitatorServer(facilitator, { port: 0 });
    secured = await startFacilitatorServer(facilitator, { port: 0, apiKey: "extension-key-1" });
  });
  afterAll(async () => {
    await open.close();
    await secured.close();
  });

  it("serves GET with the query and extra headers, and POST with the parsed body", async () => {
    const added = await post(`${open.url}/discovery/resources`, { url: "https://api.example/news" });
    expect(added).toMatchObject({ status: 201, body: { added: true } });
    const listed = await call(`${open.url}/discovery/resources?limit=1`);
    expect(listed).toMatchObject({ status: 200, body: { items: ["https://api.example/weather"] } });
    expect(listed.headers.get("x-catalog-size")).toBe("2");
    expect((await call(`${open.url}/discovery/resources`)).body.items).toHaveLength(2);
    expect((await call(`${open.url}/discovery/resources`, { method: "HEAD" })).status).toBe(200);
  });

  it("lists the extension and its data in /supported", async () => {
    const supported = await call(`${open.url}/supported`);
    expect(supported.body).toMatchObject({
      extensions: ["bazaar"],
      extensionData: { bazaar: { resources: 2 } },
    });
  });

  it("answers 405 with Allow for another method, 404 elsewhere, and keeps built-in routes", async () => {
    const put = await call(`${open.url}/discovery/resources`, { method: "PUT" });
    expect(put).toMatchObject({ status: 405, body: { error: "method_not_allowed" } });
    expect(put.headers.get("allow")).toBe("GET, POST, HEAD");
    expect((await call(`${open.url}/discovery/other`)).status).toBe(404);
    expect((await call(`${open.url}/verify`)).status).toBe(405);
  });

  it("puts routes behind the API key unless they are public", async () => {
    expect((await call(`${secured.url}/discovery/resources`)).status).toBe(200);
    expect((await post(`${secured.url}/discovery/resources`, { url: "x" })).status).toBe(401);
    const authorized = await post(
      `${secured.url}/discovery/resources`,
      { url: "https://api.example/maps" },
      { authorization: "Bearer extension-key-1" },
    );
    expect(authorized.status).toBe(201);
  });
});
