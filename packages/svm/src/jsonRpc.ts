import { describeError } from "@x402kit/core";
import { RPC_TIMEOUT_MS } from "./constants.js";

/**
 * The node answered a JSON-RPC error: it refused the call (for `sendTransaction`: nothing was
 * forwarded), unlike a timeout or a lost answer, whose outcome is unknown.
 *
 * @example
 * ```ts
 * if (error instanceof JsonRpcError && error.code === -32002) console.log("preflight failed");
 * ```
 */
export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "JsonRpcError";
  }
}

/**
 * True when `error` is a JSON-RPC error answer (ours, or a kit `SolanaError` carrying a
 * JSON-RPC code in -32768…-32000): a definite refusal by the node.
 *
 * @example
 * ```ts
 * try { await send(); } catch (error) { if (!isJsonRpcRejection(error)) followTheSignature(); }
 * ```
 */
export function isJsonRpcRejection(error: unknown): boolean {
  if (error instanceof JsonRpcError) return true;
  const code = (error as { context?: { __code?: unknown } } | undefined)?.context?.__code;
  return typeof code === "number" && code >= -32768 && code <= -32000;
}

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
export function createJsonRpcCall(url: string, timeoutMs = RPC_TIMEOUT_MS): JsonRpcCall {
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
      throw new JsonRpcError(
        typeof body.error.code === "number" ? body.error.code : -32603,
        `${method}: ${body.error.message ?? "error"} (${body.error.code ?? "?"})`,
      );
    return body.result;
  };
}
