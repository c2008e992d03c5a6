import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the loopback server received it; header names lower-cased. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What a handler answers. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A real HTTP server on a free loopback port, so the tests drive axios's own Node adapter
 * (serialisation, header casing, status handling) rather than a stub. Records every request.
 */
export async function startLoopbackServer(handle: (request: SeenRequest) => Promise<Answer> | Answer) {
  const seen: SeenRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers[name] = value;
    const request = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers,
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(request);
    try {
      const answer = await handle(request);
      res.writeHead(answer.status, answer.headers).end(answer.body ?? "");
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
