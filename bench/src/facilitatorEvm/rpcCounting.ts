import { type Chain, custom, type Transport } from "viem";

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
 * `base` (a viem transport) counting every JSON-RPC call a facilitator makes (both sides get the
 * same wrapper, so the counts compare). Calls, not HTTP requests: a batch of calls would count each.
 */
export function countingTransport(base: Transport, chain: Chain, counter: RpcCounter): Transport {
  const inner = base({ chain, retryCount: 0 });
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
