import { createJsonRpcCall, type JsonRpcCall } from "../../jsonRpc.js";

/** A recent blockhash to put in a 402's `extra` (the client then skips one RPC call). */
export interface BlockhashHint {
  blockhash: string;
  lastValidBlockHeight: string;
}

/**
 * `getLatestBlockhash` for the 402 hint, read at most once per `maxAgeMs` per network (every
 * 402 and every paid request asks) and optional: an RPC failure or a slow answer gives no hint
 * (remembered for `maxAgeMs` too), never a failed request — the client fetches its own.
 *
 * @example
 * ```ts
 * const hints = new BlockhashHints("http://127.0.0.1:8899");
 * const hint = await hints.get("solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"); // or undefined
 * ```
 */
export class BlockhashHints {
  private readonly call: JsonRpcCall;
  private readonly cached = new Map<string, { at: number; hint: Promise<BlockhashHint | undefined> }>();

  constructor(
    rpcUrl: string,
    private readonly maxAgeMs = 1_000,
    timeoutMs = 2_000,
  ) {
    this.call = createJsonRpcCall(rpcUrl, timeoutMs);
  }

  /** The hint for `network`, or undefined when the RPC cannot give one now. Never throws. */
  get(network: string): Promise<BlockhashHint | undefined> {
    const now = Date.now();
    const entry = this.cached.get(network);
    if (entry && now - entry.at < this.maxAgeMs) return entry.hint;
    const hint = this.fetch();
    this.cached.set(network, { at: now, hint });
    return hint;
  }

  private async fetch(): Promise<BlockhashHint | undefined> {
    try {
      const { value } = (await this.call("getLatestBlockhash", [{ commitment: "confirmed" }])) as {
        value: { blockhash: unknown; lastValidBlockHeight: unknown };
      };
      if (typeof value?.blockhash !== "string") return undefined;
      return { blockhash: value.blockhash, lastValidBlockHeight: String(value.lastValidBlockHeight) };
    } catch {
      return undefined;
    }
  }
}
