import { type CorsOptions, createCorsPolicy } from "@x402kit/core/server";
import { type NextRequest, NextResponse } from "next/server";
import { withHeaders } from "./responses.js";

/** A proxy or route handler, before or after {@link paymentCors} wraps it. */
export type NextHandler<A extends unknown[] = unknown[]> = (
  request: NextRequest,
  ...rest: A
) => Response | undefined | Promise<Response | undefined>;

/**
 * CORS for paid Next.js routes: wraps the proxy (or a route handler, and its `OPTIONS`
 * export). Preflights (`OPTIONS` with `Access-Control-Request-Method`) are answered 204 before
 * the payment code runs, so they are never priced; every other answer, 402s included, lets
 * browsers read `PAYMENT-REQUIRED` / `PAYMENT-RESPONSE` and send `PAYMENT-SIGNATURE`.
 *
 * @example
 * ```ts
 * // proxy.ts
 * export const proxy = paymentCors({ origin: ["https://app.example"] })(paymentProxy(routes, server));
 * // app/api/report/route.ts
 * const cors = paymentCors();
 * export const GET = cors(withX402(handler, routes, server));
 * export const OPTIONS = cors(async () => new Response(null, { status: 204 }));
 * ```
 */
export function paymentCors(
  options?: CorsOptions,
): <A extends unknown[]>(handler: NextHandler<A>) => (request: NextRequest, ...rest: A) => Promise<Response> {
  const policy = createCorsPolicy(options);
  return (handler) =>
    async (request, ...rest) => {
      const origin = request.headers.get("origin") ?? undefined;
      const preflight = policy.preflight({
        method: request.method,
        origin,
        requestMethod: request.headers.get("access-control-request-method") ?? undefined,
        requestHeaders: request.headers.get("access-control-request-headers") ?? undefined,
      });
      if (preflight) return new NextResponse(null, preflight);
      const headers = policy.responseHeaders(origin);
      const response = await handler(request, ...rest);
      // A proxy that returns nothing lets the request through: the headers then ride on next().
      return response ? withHeaders(response, headers) : NextResponse.next({ headers });
    };
}
