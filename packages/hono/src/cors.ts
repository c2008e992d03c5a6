import { type CorsOptions, createCorsPolicy } from "@x402kit/core/server";
import type { MiddlewareHandler } from "hono";
import { editHeaders } from "./responses.js";

export type { CorsOptions } from "@x402kit/core/server";

/**
 * CORS for a paid hono app: install it BEFORE the payment middleware. It answers preflights
 * itself (204, so they are never priced, whatever the route table says) and adds to every
 * other response — 402s included — the headers a browser needs to read `PAYMENT-REQUIRED` /
 * `PAYMENT-RESPONSE`. Defaults: any origin, x402's request headers allowed
 * (`PAYMENT-SIGNATURE`, …), max-age 600 (see `CorsOptions`).
 *
 * @example
 * ```ts
 * app.use(paymentCors({ origin: ["https://app.example"] }));
 * app.use(paymentMiddleware(routes, server));
 * ```
 */
export function paymentCors(options?: CorsOptions): MiddlewareHandler {
  const policy = createCorsPolicy(options);
  return async (c, next) => {
    const origin = c.req.header("origin");
    const preflight = policy.preflight({
      method: c.req.method,
      origin,
      requestMethod: c.req.header("access-control-request-method"),
      requestHeaders: c.req.header("access-control-request-headers"),
    });
    if (preflight) return new Response(null, preflight);
    await next();
    const cors = policy.responseHeaders(origin);
    editHeaders(c, (headers) => {
      for (const name in cors) {
        const value = cors[name] as string;
        // Keep any Vary the app already set.
        if (name === "vary") appendVary(headers, value);
        else headers.set(name, value);
      }
    });
  };
}

function appendVary(headers: Headers, value: string): void {
  const current = headers.get("vary");
  if (!current) {
    headers.set("vary", value);
    return;
  }
  const listed = current.split(",").map((v) => v.trim().toLowerCase());
  if (!listed.includes(value.toLowerCase()) && !listed.includes("*"))
    headers.set("vary", `${current}, ${value}`);
}
