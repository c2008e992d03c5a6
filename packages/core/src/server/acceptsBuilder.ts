import type { PaymentRequirements } from "../protocol/types.js";
import type { CompiledRoute, PaymentOption, RequestContext } from "./routes.js";
import type { ResolvedPaymentOption, x402ResourceServer } from "./x402ResourceServer.js";

/**
 * Builds a route's `accepts[]`. Routes without dynamic parts are built once and reused,
 * which keeps the hot path free of price parsing; dynamic ones are built per request.
 */
export class AcceptsBuilder {
  private readonly cache = new WeakMap<CompiledRoute, Promise<PaymentRequirements[]>>();

  constructor(private readonly server: x402ResourceServer) {}

  /** Pre-build a static route (no-op for dynamic ones). */
  async warm(route: CompiledRoute): Promise<void> {
    if (isStatic(route)) await this.build(route, undefined as unknown as RequestContext);
  }

  build(route: CompiledRoute, context: RequestContext): Promise<PaymentRequirements[]> {
    if (!isStatic(route)) return this.buildAll(route, context);
    let cached = this.cache.get(route);
    if (!cached) {
      cached = this.buildAll(route, context);
      this.cache.set(route, cached);
      cached.catch(() => this.cache.delete(route));
    }
    return cached;
  }

  private buildAll(route: CompiledRoute, context: RequestContext): Promise<PaymentRequirements[]> {
    return Promise.all(
      route.options.map(async (option) => this.server.buildRequirements(await resolve(option, context))),
    );
  }
}

function isStatic(route: CompiledRoute): boolean {
  return route.options.every((o) => typeof o.payTo !== "function" && typeof o.price !== "function");
}

async function resolve(option: PaymentOption, context: RequestContext): Promise<ResolvedPaymentOption> {
  const payTo = typeof option.payTo === "function" ? await option.payTo(context) : option.payTo;
  const price = typeof option.price === "function" ? await option.price(context) : option.price;
  return { ...option, payTo, price };
}
