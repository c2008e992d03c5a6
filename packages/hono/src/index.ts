import {
  type FacilitatorClient,
  type PaywallConfig,
  type PaywallProvider,
  type RoutesConfig,
  resourceServerFromConfig,
  type SchemeRegistration,
  SETTLEMENT_OVERRIDES_HEADER,
  type SettlementOverrides,
  x402HTTPResourceServer,
  type x402ResourceServer,
} from "@x402kit/core/server";
import type { Context, MiddlewareHandler } from "hono";
import { HonoAdapter } from "./honoAdapter.js";
import { toResponse } from "./responses.js";
import { deliverSettled, settleAfterHandler } from "./settleAfterHandler.js";

export type { Network, PaymentPayload, PaymentRequired, PaymentRequirements } from "@x402kit/core";
export type {
  HttpResourceServerOptions,
  PaywallConfig,
  PaywallProvider,
  RouteConfig,
  RoutesConfig,
  RouteValidationError,
  SchemeNetworkServer,
  SchemeRegistration,
  SettlementOverrides,
} from "@x402kit/core/server";
export {
  RouteConfigurationError,
  SETTLEMENT_OVERRIDES_HEADER,
  x402HTTPResourceServer,
  x402ResourceServer,
} from "@x402kit/core/server";
export { type CorsOptions, paymentCors } from "./cors.js";
export { HonoAdapter };

/**
 * Hono middleware that charges for the routes in `routes` (the official positional signature).
 * Unpaid requests get a 402 with `PAYMENT-REQUIRED`; paid ones are verified, the handler runs
 * and its whole answer (a streamed body too) is held back while the payment is settled — for
 * what the handler reported with {@link setSettlementOverrides}, else the price — then sent
 * with `PAYMENT-RESPONSE`. A handler answering ≥ 400 (or throwing) is passed through and
 * nothing is charged. Routes with `settlementPhase: "before-handler"` settle first and let the
 * handler stream freely. Web APIs only: runs on Node, Bun, Deno and Cloudflare Workers.
 *
 * @param syncFacilitatorOnStart load facilitator support and check the routes now (default),
 *   instead of on the first paid request; a failure is logged and retried on the next one. On
 *   Cloudflare Workers, where I/O is not allowed at start-up, the first paid request does it.
 * @example
 * ```ts
 * const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl }));
 * registerExactEvmScheme(server);
 * app.use(paymentMiddleware({
 *   "GET /weather": { accepts: { scheme: "exact", network: "eip155:8453", payTo, price: "$0.01" } },
 * }, server));
 * app.get("/weather", (c) => c.json({ forecast: "sunny" }));
 * ```
 */
export function paymentMiddleware(
  routes: RoutesConfig,
  server: x402ResourceServer,
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
): MiddlewareHandler {
  const http = new x402HTTPResourceServer(server, routes);
  return paymentMiddlewareFromHTTPServer(http, paywallConfig, paywall, syncFacilitatorOnStart);
}

/**
 * {@link paymentMiddleware} that builds the resource server from facilitator clients and schemes.
 * @example
 * ```ts
 * app.use(paymentMiddlewareFromConfig(routes, new HTTPFacilitatorClient({ url }), [
 *   { network: "eip155:8453", server: new ExactEvmScheme() },
 * ]));
 * ```
 */
export function paymentMiddlewareFromConfig(
  routes: RoutesConfig,
  facilitatorClients?: FacilitatorClient | FacilitatorClient[],
  schemes: readonly SchemeRegistration[] = [],
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
): MiddlewareHandler {
  const server = resourceServerFromConfig(facilitatorClients, schemes);
  return paymentMiddleware(routes, server, paywallConfig, paywall, syncFacilitatorOnStart);
}

/**
 * {@link paymentMiddleware} for an already configured pipeline (hooks, options, shared store).
 * @example
 * ```ts
 * const http = new x402HTTPResourceServer(server, routes, { store: redisStore }).onProtectedRequest((ctx) =>
 *   ctx.getHeader("x-api-key") === key ? { grantAccess: true } : undefined);
 * app.use(paymentMiddlewareFromHTTPServer(http));
 * ```
 */
export function paymentMiddlewareFromHTTPServer(
  http: x402HTTPResourceServer,
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
): MiddlewareHandler {
  if (paywall) http.registerPaywallProvider(paywall);
  // workerd forbids I/O outside a request, and I/O started by one request cannot finish for
  // another: there the first paid request initialises, awaiting it itself.
  if (syncFacilitatorOnStart && !isCloudflareWorker()) http.initializeInBackground();

  return async (c, next) => {
    const match = http.matchRoute(c.req.method, c.req.path);
    if (!match) return next();
    const result = await http.processRequest(new HonoAdapter(c), match, paywallConfig);
    if (result.type === "no-payment-required") return next();
    if (result.type === "payment-error") return toResponse(result.response);
    const { payment } = result;
    if (payment.settlementPhase === "before-handler") return deliverSettled(c, next, payment);
    return settleAfterHandler(c, next, payment);
  };
}

/**
 * Report what to charge from a handler (`upto`, `batch-settlement`): atomic units (`"1000"`), a
 * percentage of the authorised amount (`"50%"`) or dollars (`"$0.05"`). Never above the
 * authorised amount; `"0"` charges nothing. The header never reaches the client.
 * @example
 * ```ts
 * app.post("/generate", (c) => { setSettlementOverrides(c, { amount: String(tokensUsed) }); return c.json(out); });
 * ```
 */
export function setSettlementOverrides(c: Context, overrides: SettlementOverrides): void {
  c.header(SETTLEMENT_OVERRIDES_HEADER, JSON.stringify(overrides));
}

/** True inside workerd (Cloudflare Workers, miniflare). */
function isCloudflareWorker(): boolean {
  return globalThis.navigator?.userAgent === "Cloudflare-Workers";
}
