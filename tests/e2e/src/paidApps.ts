import {
  HTTPFacilitatorClient as OfficialFacilitatorClient,
  x402ResourceServer as OfficialResourceServer,
} from "@x402/core/server";
import { paymentMiddleware as officialPaymentMiddleware } from "@x402/express";
import type { SchemeServer } from "@x402kit/core";
import { HTTPFacilitatorClient } from "@x402kit/core/http";
import type { RoutesConfig } from "@x402kit/core/server";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import express from "express";

/** The paid route of a test app: its routes table, the path it serves and the handler. */
export interface PaidAppRoute {
  routes: RoutesConfig;
  path: string;
  handler: express.RequestHandler;
}

/**
 * Our express server (`@x402kit/express`) with one scheme for `eip155:*`, settled by the
 * facilitator at `facilitatorUrl`.
 *
 * @example
 * ```ts
 * const app = ourPaidApp(ours.url, new ExactEvmScheme(), { routes, path: "/paid", handler: (_q, r) => r.json({}) });
 * ```
 */
export function ourPaidApp(
  facilitatorUrl: string,
  scheme: SchemeServer,
  route: PaidAppRoute,
): express.Express {
  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl })).register(
    "eip155:*",
    scheme,
  );
  const app = express();
  app.use(paymentMiddleware(route.routes, server));
  app.get(route.path, route.handler);
  return app;
}

/**
 * The official express server (`@x402/express` 2.27) with one scheme for `network`.
 *
 * @example
 * ```ts
 * const app = officialPaidApp(official.url, devnet.network, new OfficialExactEvmScheme(), route);
 * ```
 */
export function officialPaidApp(
  facilitatorUrl: string,
  network: `${string}:${string}`,
  scheme: Parameters<OfficialResourceServer["register"]>[1],
  route: PaidAppRoute,
): express.Express {
  const server = new OfficialResourceServer(new OfficialFacilitatorClient({ url: facilitatorUrl })).register(
    network,
    scheme,
  );
  const app = express();
  app.use(officialPaymentMiddleware(route.routes as never, server));
  app.get(route.path, route.handler);
  return app;
}
