import type {
  FacilitatorClient,
  PaywallConfig,
  PaywallProvider,
  RoutesConfig,
  SchemeRegistration,
  SettlementOverrides,
} from "@x402kit/core/server";
import {
  resourceServerFromConfig,
  SETTLEMENT_OVERRIDES_HEADER,
  x402HTTPResourceServer,
  type x402ResourceServer,
} from "@x402kit/core/server";
import type { NextRequest, NextResponse } from "next/server";
import { type NextProxyOptions, type PaymentProxy, paymentProxyFromHTTPServer } from "./proxy.js";
import { type RouteHandler, withX402FromHTTPServer } from "./withX402.js";

export type { Network, PaymentPayload, PaymentRequired, PaymentRequirements } from "@x402kit/core";
export type {
  CorsOptions,
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
export { type NextHandler, paymentCors } from "./cors.js";
export { NextAdapter } from "./nextAdapter.js";
export {
  type NextProxyOptions,
  PAID_SUBREQUEST_HEADER,
  type PaymentProxy,
  paymentProxyFromHTTPServer,
} from "./proxy.js";
export { type RouteHandler, withX402FromHTTPServer } from "./withX402.js";

/**
 * The proxy (`proxy.ts`; `middleware.ts` before Next 16) that charges for the routes in
 * `routes` (official positional signature). See {@link paymentProxyFromHTTPServer} for how a
 * paid handler's answer is held until settlement.
 *
 * @example
 * ```ts
 * // proxy.ts
 * const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl }));
 * registerExactEvmScheme(server);
 * export const proxy = paymentProxy({
 *   "GET /api/weather": { accepts: { scheme: "exact", network: "eip155:8453", payTo, price: "$0.01" } },
 * }, server);
 * ```
 */
export function paymentProxy(
  routes: RoutesConfig,
  server: x402ResourceServer,
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
  options?: NextProxyOptions,
): PaymentProxy {
  const http = new x402HTTPResourceServer(server, routes);
  return paymentProxyFromHTTPServer(http, paywallConfig, paywall, syncFacilitatorOnStart, options);
}

/**
 * {@link paymentProxy} that builds the resource server from facilitator clients and schemes.
 * @example
 * ```ts
 * export const proxy = paymentProxyFromConfig(routes, new HTTPFacilitatorClient({ url }), [
 *   { network: "eip155:8453", server: new ExactEvmScheme() },
 * ]);
 * ```
 */
export function paymentProxyFromConfig(
  routes: RoutesConfig,
  facilitatorClients?: FacilitatorClient | FacilitatorClient[],
  schemes: readonly SchemeRegistration[] = [],
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
): PaymentProxy {
  const server = resourceServerFromConfig(facilitatorClients, schemes);
  return paymentProxy(routes, server, paywallConfig, paywall, syncFacilitatorOnStart);
}

/**
 * Wrap one App Router route handler: it runs only for a verified payment, and the payment is
 * settled only after it answered < 400 (its whole answer held until then). `routes` is one
 * route config (any path) or a map keyed by the route's pattern, e.g.
 * `{ "GET /api/users/[id]": config }` — the pattern must match the path as served.
 *
 * @example
 * ```ts
 * // app/api/weather/route.ts
 * export const GET = withX402(async () => NextResponse.json({ forecast: "sunny" }), {
 *   accepts: { scheme: "exact", network: "eip155:8453", payTo, price: "$0.01" },
 * }, server);
 * ```
 */
export function withX402<T = unknown, A extends unknown[] = unknown[]>(
  routeHandler: RouteHandler<T, A>,
  routes: RoutesConfig,
  server: x402ResourceServer,
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
): (request: NextRequest, ...rest: A) => Promise<NextResponse<T>> {
  const http = new x402HTTPResourceServer(server, routes);
  return withX402FromHTTPServer(routeHandler, http, paywallConfig, paywall, syncFacilitatorOnStart);
}

/**
 * Report what to charge from a route handler (`upto`, `batch-settlement`): atomic units, a
 * percentage (`"50%"`) or dollars (`"$0.05"`), never above the authorised amount. The header
 * is removed before the answer leaves.
 * @example
 * ```ts
 * const response = NextResponse.json(output);
 * setSettlementOverrides(response, { amount: String(tokensUsed) });
 * return response;
 * ```
 */
export function setSettlementOverrides(res: Response, overrides: SettlementOverrides): void {
  res.headers.set(SETTLEMENT_OVERRIDES_HEADER, JSON.stringify(overrides));
}
