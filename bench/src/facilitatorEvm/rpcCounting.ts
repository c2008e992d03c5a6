import { type Chain, custom, http, type Transport } from "viem";

/** JSON-RPC calls seen by a {@link countingTransport}, by method. */
export class RpcCounter {
  readonly byMethod = new Map<string, number>();
  total = 0;
  count(method: string): void {
    this.total++;
    this.byMethod.set(method, (this.byMethod.get(method) ?? 0) + 1);
  }
  snapshot(): { total: number; byMethod: Record<string, number> } {
    return { total: this.total, byMethod: Object.fromEntries(this.byMethod) };
  }
}

/**
 * An HTTP transport to `rpcUrl` that counts every JSON-RPC call a facilitator makes (both
 * sides get the same wrapper, so the counts compare). Calls, not HTTP requests: a batch of
 * calls would count each.
 */
export function countingTransport(rpcUrl: string, chain: Chain, counter: RpcCounter): Transport {
  const inner = http(rpcUrl)({ chain, retryCount: 0 });
  return custom(
    {
      request: ({ method, params }: { method: string; params?: unknown }) => {
        counter.count(method);
        return inner.request({ method, params } as never);
      },
    },
    { retryCount: 0 },
  );
}
