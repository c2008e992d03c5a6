import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What the proxy does with `sendTransaction`: pass it on (`forward`), pass it on and never
 * answer (the answer is lost, as when the facilitator crashes or the connection drops), or
 * swallow it unanswered (`drop`: the network never hears of it).
 */
export type SendMode = "forward" | "forwardNoAnswer" | "drop";

/**
 * A loopback JSON-RPC proxy in front of the Soroban RPC stand-in (a TEST DOUBLE of a faulty
 * network path): every method is forwarded, `sendTransaction` as `mode` says.
 */
export async function startRpcProxy(
  target: string,
  mode: SendMode,
): Promise<{ url: string; sent: () => number; close(): Promise<void> }> {
  let sent = 0;
  const server = createServer((req, res) => void relay(req, res));
  async function relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const method = (JSON.parse(body) as { method?: string }).method;
    const isSend = method === "sendTransaction";
    if (isSend) sent += 1;
    if (isSend && mode === "drop") return; // never answered
    const answer = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const text = await answer.text();
    if (isSend && mode === "forwardNoAnswer") return;
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(text);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent: () => sent,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
