import {
  type FacilitatorClient,
  type HttpResponseInstructions,
  type PaywallConfig,
  type PaywallProvider,
  type RoutesConfig,
  resourceServerFromConfig,
  type SchemeRegistration,
  SETTLEMENT_OVERRIDES_HEADER,
  type SettlementOverrides,
  type VerifiedPayment,
  x402HTTPResourceServer,
  type x402ResourceServer,
} from "@x402kit/core/server";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { FastifyAdapter } from "./fastifyAdapter.js";
import { holdReply } from "./holdReply.js";

export type {
  CorsOptions,
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
export { paymentCors } from "./cors.js";
export { FastifyAdapter };

/**
 * Charge for the routes in `routes` on a fastify instance (the official signature: it
 * registers an `onRequest` hook on `app`). Unpaid requests get a 402 with `PAYMENT-REQUIRED`;
 * paid ones are verified, the handler runs with everything it writes held back — a returned
 * value, a stream, `reply.raw` writes — and the payment is settled before the answer (with
 * `PAYMENT-RESPONSE`) leaves. A handler answering ≥ 400 is sent unchanged and nothing is
 * charged; a failed settlement replaces the answer with the 402 failure. Routes with
 * `settlementPhase: "before-handler"` settle first and then stream freely.
 *
 * @param syncFacilitatorOnStart load facilitator support and check the routes now (default),
 *   instead of on the first paid request; a failure is logged and retried on the next one.
 * @example
 * ```ts
 * const app = Fastify();
 * const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl }));
 * registerExactEvmScheme(server);
 * paymentMiddleware(app, {
 *   "GET /weather": { accepts: { scheme: "exact", network: "eip155:8453", payTo, price: "$0.01" } },
 * }, server);
 * app.get("/weather", async () => ({ forecast: "sunny" }));
 * ```
 */
export function paymentMiddleware(
  app: FastifyInstance,
  routes: RoutesConfig,
  server: x402ResourceServer,
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
): void {
  const http = new x402HTTPResourceServer(server, routes);
  paymentMiddlewareFromHTTPServer(app, http, paywallConfig, paywall, syncFacilitatorOnStart);
}

/**
 * {@link paymentMiddleware} that builds the resource server from facilitator clients and schemes.
 * @example
 * ```ts
 * paymentMiddlewareFromConfig(app, routes, new HTTPFacilitatorClient({ url }), [
 *   { network: "eip155:8453", server: new ExactEvmScheme() },
 * ]);
 * ```
 */
export function paymentMiddlewareFromConfig(
  app: FastifyInstance,
  routes: RoutesConfig,
  facilitatorClients?: FacilitatorClient | FacilitatorClient[],
  schemes: readonly SchemeRegistration[] = [],
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
): void {
  const server = resourceServerFromConfig(facilitatorClients, schemes);
  paymentMiddleware(app, routes, server, paywallConfig, paywall, syncFacilitatorOnStart);
}

/**
 * {@link paymentMiddleware} for an already configured pipeline (hooks, options, shared store).
 * @example
 * ```ts
 * const http = new x402HTTPResourceServer(server, routes, { store: redisStore });
 * paymentMiddlewareFromHTTPServer(app, http);
 * ```
 */
export function paymentMiddlewareFromHTTPServer(
  app: FastifyInstance,
  http: x402HTTPResourceServer,
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
): void {
  if (paywall) http.registerPaywallProvider(paywall);
  if (syncFacilitatorOnStart) http.initializeInBackground();

  // onRequest runs after fastify's router picked the route, before body parsing and the handler.
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const adapter = new FastifyAdapter(request);
    const match = http.matchRoute(adapter.method, adapter.path);
    if (!match) return;
    const result = await http.processRequest(adapter, match, paywallConfig);
    if (result.type === "no-payment-required") return;
    if (result.type === "payment-error") return send(reply, result.response);
    const { payment } = result;
    if (payment.settlementPhase === "before-handler") {
      // Already settled: the receipt goes out with the first byte, the handler streams freely.
      reply.headers(payment.settledHeaders ?? {});
      // Overrides mean nothing once settled; they must not reach the client either.
      dropHeaderOnWrite(reply, SETTLEMENT_OVERRIDES_HEADER);
      return;
    }
    holdUntilSettled(reply, payment);
  });
}

/**
 * Report what to charge from a handler (`upto`, `batch-settlement`): atomic units (`"1000"`), a
 * percentage of the authorised amount (`"50%"`) or dollars (`"$0.05"`). Never above the
 * authorised amount; `"0"` charges nothing. The header never reaches the client.
 * @example
 * ```ts
 * app.post("/generate", async (request, reply) => { setSettlementOverrides(reply, { amount: String(tokensUsed) }); return out; });
 * ```
 */
export function setSettlementOverrides(reply: FastifyReply, overrides: SettlementOverrides): void {
  reply.header(SETTLEMENT_OVERRIDES_HEADER, JSON.stringify(overrides));
}

function holdUntilSettled(reply: FastifyReply, payment: VerifiedPayment): void {
  // Headers set before the handler (CORS, say) belong to the app and survive a failed settlement.
  const before: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined) before[name] = Array.isArray(value) ? value.join(", ") : String(value);
  // The handler runs to the end even if the client goes away: its work is then paid for.
  holdReply(reply.raw, (held) => {
    payment
      .afterHandler(held)
      .then((completion) => {
        if (completion.type === "failed") return held.replace(completion.response, before);
        held.flush(completion.type === "settled" ? completion.headers : {}, SETTLEMENT_OVERRIDES_HEADER);
      })
      .catch(reportSendFailure);
  });
}

function reportSendFailure(error: unknown): void {
  console.error("[x402kit] could not send a paid response:", error);
}

function send(reply: FastifyReply, response: HttpResponseInstructions): FastifyReply {
  return reply.code(response.status).headers(response.headers).send(response.body);
}

/** Remove `name` from whatever fastify writes as the response head (it passes its headers to writeHead). */
function dropHeaderOnWrite(reply: FastifyReply, name: string): void {
  const raw = reply.raw;
  const writeHead = raw.writeHead;
  raw.writeHead = function (this: typeof raw, ...args: unknown[]) {
    raw.writeHead = writeHead;
    raw.removeHeader(name);
    for (const arg of args)
      if (arg && typeof arg === "object" && !Array.isArray(arg))
        for (const key of Object.keys(arg))
          if (key.toLowerCase() === name.toLowerCase()) delete (arg as Record<string, unknown>)[key];
    return (writeHead as (...a: unknown[]) => typeof raw).apply(this, args);
  } as typeof raw.writeHead;
}
