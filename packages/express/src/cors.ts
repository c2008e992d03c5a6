import { type CorsOptions, createCorsPolicy } from "@x402kit/core/server";
import type { NextFunction, Request, Response } from "express";

export type { CorsOptions } from "@x402kit/core/server";

/**
 * CORS for a paid express app: install it BEFORE the payment middleware. It answers
 * preflights itself (204, so they are never priced, whatever the route table says) and adds
 * to every other response — 402s included — the headers a browser needs to read
 * `PAYMENT-REQUIRED` / `PAYMENT-RESPONSE`. Defaults: any origin, x402's request headers
 * allowed (`PAYMENT-SIGNATURE`, …), max-age 600 (see `CorsOptions`).
 *
 * @example
 * ```ts
 * app.use(paymentCors({ origin: ["https://app.example"] }));
 * app.use(paymentMiddleware(routes, server));
 * ```
 */
export function paymentCors(
  options?: CorsOptions,
): (req: Request, res: Response, next: NextFunction) => void {
  const policy = createCorsPolicy(options);
  return (req, res, next) => {
    const origin = req.get("origin");
    const preflight = policy.preflight({
      method: req.method,
      origin,
      requestMethod: req.get("access-control-request-method"),
      requestHeaders: req.get("access-control-request-headers"),
    });
    const headers = preflight?.headers ?? policy.responseHeaders(origin);
    for (const name in headers) {
      // Keep any Vary the app already set.
      if (name === "vary") res.vary(headers[name] as string);
      else res.setHeader(name, headers[name] as string);
    }
    if (preflight) {
      res.status(204).end();
      return;
    }
    next();
  };
}
