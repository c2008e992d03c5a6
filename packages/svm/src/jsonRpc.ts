import { describeError } from "@x402kit/core";

/** A minimal Solana JSON-RPC caller: one POST per call, the `result` or a thrown `error`. */
export type JsonRpcCall = (method: string, params: unknown[]) => Promise<unknown>;

/**
 * A JSON-RPC caller over `fetch` for the facilitator's hot path (simulate, send, statuses):
 * plain `JSON.parse` and no per-call client objects, cheaper than a general RPC client.
 * Numbers stay numbers (the fields read here are small: slots, error codes).
 *
 * @example
 * ```ts
 * const call = createJsonRpcCall("http://127.0.0.1:8899", 10_000);
 * await call("getSignatureStatuses", [[signature]]);
 * ```
 */
export function createJsonRpcCall(url: string, timeoutMs = 10_000): JsonRpcCall {
  let id = 0;
  return async (method, params) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`${method}: HTTP ${response.status}`);
    let body: { result?: unknown; error?: { code?: number; message?: string } };
    try {
      body = (await response.json()) as typeof body;
    } catch (error) {
      throw new Error(`${method}: unreadable answer (${describeError(error)})`);
    }
    if (body.error)
      throw new Error(`${method}: ${body.error.message ?? "error"} (${body.error.code ?? "?"})`);
    return body.result;
  };
}
