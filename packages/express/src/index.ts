import {
  type FacilitatorClient,
  type HandlerCompletion,
  type HttpResponseInstructions,
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
import type { NextFunction, Request, Response } from "express";
import { ExpressAdapter } from "./expressAdapter.js";

export { type CorsOptions, paymentCors } from "./cors.js";

import { holdResponse } from "./holdResponse.js";

export type {
  HttpResourceServerOptions,
  PaywallConfig,
  PaywallProvider,
  RouteConfig,
  RoutesConfig,
  RouteValidationError,
  SchemeRegistration,
  SettlementOverrides,
} from "@x402kit/core/server";
export {
  RouteConfigurationError,
  SETTLEMENT_OVERRIDES_HEADER,
  x402HTTPResourceServer,
  x402ResourceServer,
} from "@x402kit/core/server";
export { ExpressAdapter };

/** The middleware every factory returns. */
export type PaymentMiddleware = (req: Request, res: Response, next: NextFunction) => Promise<void>;

/**
 * Express middleware that charges for the routes in `routes` (the official positional
 * signature). Unpaid requests get a 402 with `PAYMENT-REQUIRED`; paid ones are verified, the
 * handler runs with its output held back, and the payment is settled — for what the handler
 * reported with {@link setSettlementOverrides}, else the price — before the response (with
 * `PAYMENT-RESPONSE`) is sent. A handler answering ≥ 400 is sent unchanged and nothing is
 * charged. A route with `settlementPhase: "before-handler"` is settled before its handler
 * runs (a failed settlement answers 402 and the handler never runs); the handler then writes
 * and streams freely, with `PAYMENT-RESPONSE` already set. x402kit options (`maxPaymentHeaderBytes`, `store`, `inFlightTtlSeconds`) go to
 * `new x402HTTPResourceServer(server, routes, options)` with {@link paymentMiddlewareFromHTTPServer}.
 *
 * @param syncFacilitatorOnStart load facilitator support and check the routes now (default),
 *   instead of on the first paid request; a failure is logged and retried on the next one.
 * @example
 * ```ts
 * const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl }));
 * registerExactEvmScheme(server);
 * app.use(paymentMiddleware({
 *   "GET /weather": { accepts: { scheme: "exact", network: "eip155:8453", payTo, price: "$0.01" } },
 * }, server));
 * app.get("/weather", (_req, res) => res.json({ forecast: "sunny" }));
 * ```
 */
export function paymentMiddleware(
  routes: RoutesConfig,
  server: x402ResourceServer,
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
): PaymentMiddleware {
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
): PaymentMiddleware {
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
): PaymentMiddleware {
  if (paywall) http.registerPaywallProvider(paywall);
  if (syncFacilitatorOnStart) http.initializeInBackground();

  return async (req, res, next) => {
    const request = new ExpressAdapter(req);
    // The full routed path first; under a mount point also the path relative to it, as the
    // official middleware prices it: a route table written either way is never skipped.
    const match =
      http.matchRoute(request.method, request.path) ??
      (req.baseUrl ? http.matchRoute(request.method, req.path) : undefined);
    if (!match) return next();
    const result = await http.processRequest(request, match, paywallConfig);
    if (result.type === "no-payment-required") return next();
    if (result.type === "payment-error") return send(res, result.response);

    const { payment } = result;
    if (payment.settlementPhase === "before-handler") {
      // Already settled: the receipt goes out with the first byte and the handler streams freely.
      res.set(payment.settledHeaders ?? {});
      return next();
    }
    // The handler runs to the end even if the client goes away: its work is then paid for.
    const held = holdResponse(res, () => {
      const response = { status: res.statusCode, getHeader: (name: string) => headerOf(res, name) };
      payment.afterHandler(response).then((completion: HandlerCompletion) => {
        res.removeHeader(SETTLEMENT_OVERRIDES_HEADER);
        if (completion.type !== "failed")
          return held.flush(completion.type === "settled" ? completion.headers : {});
        if (res.headersSent) return void res.destroy(); // cannot answer the failure any more
        held.discard();
        send(res, completion.response);
      }, reportSendFailure);
    });
    next();
  };
}

/**
 * Report what to charge from a handler (`upto`, `batch-settlement`): atomic units (`"1000"`), a
 * percentage of the authorised amount (`"50%"`) or dollars (`"$0.05"`). Never above the
 * authorised amount; `"0"` charges nothing. The header never reaches the client.
 * @example
 * ```ts
 * app.post("/generate", (req, res) => { setSettlementOverrides(res, { amount: String(tokensUsed) }); res.json(out); });
 * ```
 */
export function setSettlementOverrides(res: Response, overrides: SettlementOverrides): void {
  res.setHeader(SETTLEMENT_OVERRIDES_HEADER, JSON.stringify(overrides));
}

function reportSendFailure(error: unknown): void {
  console.error("[x402kit] could not send a paid response:", error);
}

function headerOf(res: Response, name: string): string | undefined {
  const value = res.getHeader(name);
  return value === undefined ? undefined : Array.isArray(value) ? value.join(", ") : String(value);
}

function send(res: Response, response: HttpResponseInstructions): void {
  res.status(response.status).set(response.headers).send(response.body);
}
