import type { ServerResponse } from "node:http";

/**
 * Answer with a JSON body. BigInts are written as decimal strings, as the protocol
 * serialises amounts. Does nothing when the response is already sent or the socket gone,
 * so late failures cannot throw a second time.
 *
 * @example
 * ```ts
 * writeJson(res, 404, { error: "not_found" });
 * ```
 */
export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.writableEnded || response.destroyed) return;
  const text = JSON.stringify(body, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  response.end(text);
}
