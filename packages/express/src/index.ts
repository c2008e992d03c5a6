import type { HttpResponseInstructions, RoutesConfig, x402ResourceServer } from "@x402kit/core/server";
import { type HttpResourceServerOptions, jsonResponse, x402HTTPResourceServer } from "@x402kit/core/server";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { holdResponse } from "./holdResponse.js";

export type { RouteConfig, RoutesConfig } from "@x402kit/core/server";
export { x402HTTPResourceServer, x402ResourceServer } from "@x402kit/core/server";

/** Options of {@link paymentMiddleware}. */
export interface PaymentMiddlewareOptions extends HttpResourceServerOptions {
  /**
   * Load facilitator support and check the routes right away (default `true`), instead of on
   * the first paid request. A failure is logged and retried on the next paid request.
   */
  initializeOnStart?: boolean;
}

/**
 * Express middleware that charges for the routes in `routes`: unpaid requests get a 402
 * with `PAYMENT-REQUIRED`; paid ones are verified, the handler runs with its output held
 * back, and the payment is settled before the response (with `PAYMENT-RESPONSE`) is sent.
 * A handler answering ≥ 400 is sent unchanged and nothing is charged.
 *
 * @example
 * ```ts
 * const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl }))
 *   .register("eip155:*", new ExactEvmServer());
 * app.use(paymentMiddleware({
 *   "GET /weather": { accepts: { scheme: "exact", network: "eip155:8453", payTo, price: "$0.01" } },
 * }, server));
 * app.get("/weather", (_req, res) => res.json({ forecast: "sunny" }));
 * ```
 */
export function paymentMiddleware(
  routes: RoutesConfig,
  server: x402ResourceServer,
  options: PaymentMiddlewareOptions = {},
): RequestHandler {
  return paymentMiddlewareFromHTTPServer(new x402HTTPResourceServer(server, routes, options), options);
}

/**
 * {@link paymentMiddleware} for an already configured pipeline (e.g. with `onProtectedRequest` hooks).
 * @example
 * ```ts
 * const http = new x402HTTPResourceServer(server, routes).onProtectedRequest(({ request }) =>
 *   request.getHeader("x-api-key") === key ? { grantAccess: true } : undefined);
 * app.use(paymentMiddlewareFromHTTPServer(http));
 * ```
 */
export function paymentMiddlewareFromHTTPServer(
  http: x402HTTPResourceServer,
  options: Pick<PaymentMiddlewareOptions, "initializeOnStart"> = {},
): RequestHandler {
  let ready: Promise<void> | undefined;
  const initialize = () => {
    ready ??= http.initialize().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  if (options.initializeOnStart !== false)
    initialize().catch((error: unknown) => console.error("[x402kit] payment middleware not ready:", error));

  return async (req: Request, res: Response, next: NextFunction) => {
    // Price the path express routes (its parse of the target, mount path included), never our own.
    const routedPath = req.baseUrl + req.path;
    const match = http.matchRoute(req.method, routedPath);
    if (!match) return next();
    try {
      await initialize();
    } catch (error) {
      return send(
        res,
        jsonResponse(503, { error: "payment_unavailable", message: String((error as Error).message) }),
      );
    }
    const result = await http.processRequest(
      {
        method: req.method,
        path: routedPath,
        // Only needed when a 402 is built; express computes `protocol` on every read.
        get url() {
          const target = req.originalUrl;
          if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return target; // absolute-form target
          return `${req.protocol}://${req.get("host") ?? "localhost"}${target}`;
        },
        getHeader: (name) => req.get(name),
        request: req,
      },
      match,
    );
    if (result.type === "no-payment-required") return next();
    if (result.type === "payment-error") return send(res, result.response);

    const { payment } = result;
    // The handler runs to the end even if the client goes away: its work is then paid for.
    const held = holdResponse(res, () => {
      if (res.statusCode >= 400) {
        payment.release();
        return held.flush();
      }
      payment
        .settle()
        .then((outcome) => {
          if (outcome.type === "settled") return held.flush(outcome.headers);
          held.discard();
          send(res, outcome.response);
        })
        .catch((error: unknown) => {
          // Only a throwing settlementFailedResponseBody gets here; the content stays withheld.
          if (res.headersSent) return;
          held.discard();
          send(
            res,
            jsonResponse(502, { error: "settlement_failed", message: String((error as Error)?.message) }),
          );
        });
    });
    next();
  };
}

function send(res: Response, response: HttpResponseInstructions): void {
  res.status(response.status).set(response.headers).send(response.body);
}
