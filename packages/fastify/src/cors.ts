import { type CorsOptions, createCorsPolicy } from "@x402kit/core/server";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * CORS for a paid fastify app, as an `onRequest` hook: add it before {@link paymentMiddleware}.
 * Preflights (`OPTIONS` with `Access-Control-Request-Method`) are answered 204 here and never
 * priced; every other answer, 402s included, lets browsers read `PAYMENT-REQUIRED` and
 * `PAYMENT-RESPONSE` and send `PAYMENT-SIGNATURE`.
 *
 * @example
 * ```ts
 * app.addHook("onRequest", paymentCors({ origin: ["https://app.example"] }));
 * paymentMiddleware(app, routes, server);
 * ```
 */
export function paymentCors(
  options?: CorsOptions,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  const policy = createCorsPolicy(options);
  return async (request, reply) => {
    const origin = request.headers.origin;
    const preflight = policy.preflight({
      method: request.method,
      origin,
      requestMethod: header(request, "access-control-request-method"),
      requestHeaders: header(request, "access-control-request-headers"),
    });
    if (preflight) return reply.code(preflight.status).headers(preflight.headers).send();
    reply.headers(policy.responseHeaders(origin));
    return undefined;
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
