import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy does with the next `sendTransaction`. */
export type SendMode = "forward" | "drop-answer" | "reject";

/**
 * Test double: a JSON-RPC proxy in front of a devnet that can lose the answer of a
 * `sendTransaction` the node accepted (the socket is closed after forwarding: a timeout or a
 * reset, as seen by the caller) or refuse one with a JSON-RPC error without forwarding it.
 */
export async function startRpcProxy(target: string) {
  const modes: SendMode[] = [];
  const counts = new Map<string, number>();
  const server = createServer(async (request, response) => {
    const body = await readAll(request);
    const method = (JSON.parse(body) as { method?: string }).method;
    const mode = method === "sendTransaction" ? (modes.shift() ?? "forward") : "forward";
    counts.set(String(method), (counts.get(String(method)) ?? 0) + 1);
    if (mode === "reject") {
      const id = (JSON.parse(body) as { id?: unknown }).id ?? null;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32005, message: "Node is unhealthy" } }),
      );
      return;
    }
    const answer = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const text = await answer.text();
    if (mode === "drop-answer") {
      request.socket.destroy();
      return;
    }
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Queue what the next sends meet (then forward). */
    next(...queued: SendMode[]) {
      modes.push(...queued);
    },
    /** How many calls of `method` reached the proxy. */
    calls: (method: string) => counts.get(method) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readAll(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = "";
    request.on("data", (chunk) => {
      raw += chunk;
    });
    request.on("end", () => resolve(raw));
    request.on("error", reject);
  });
}
