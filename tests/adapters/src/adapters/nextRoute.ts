// Must run before any Next module loads (as `next start` does).
import "../../../../packages/next/test/support/nodeEnvironment.js";
import type { RouteConfig, RoutesConfig } from "@x402kit/core/server";
import { paymentCors, withX402 } from "@x402kit/next";
import {
  allowsMethod,
  contractHandlers,
  ROUTE_KEYS,
} from "../../../../packages/next/test/support/contractHandlers.js";
import { startNextApp } from "../../../../packages/next/test/support/nextApp.js";
import type { AdapterFactory, ConformanceRoute } from "../contract.js";

/**
 * The conformance app on `@x402kit/next`'s route wrapper: a real Next.js production server
 * (the fixture app, no proxy) where each route file's handler is
 * `paymentCors()(withX402(handler, { [its route key]: routes[key] }, server))`.
 */
export const nextRouteFactory: AdapterFactory = async ({ routes, server, hit }) => {
  const table = routes as Record<string, RouteConfig>;
  const cors = paymentCors();
  const content = contractHandlers((name) => hit(name as ConformanceRoute));
  const wrapped = Object.fromEntries(
    Object.entries(content).map(([name, handler]) => {
      const key = ROUTE_KEYS[name];
      return [name, cors(key ? withX402(handler, { [key]: table[key] } as RoutesConfig, server) : handler)];
    }),
  );
  // Next answers OPTIONS for a route itself (204); here with CORS, and never priced.
  const options = cors(async () => new Response(null, { status: 204 }));
  return startNextApp({
    route: (name, request, context) => {
      const handler = wrapped[name];
      if (request.method === "OPTIONS" && name !== "wildcard") return options(request);
      return handler && (allowsMethod(name, request.method) || request.method === "OPTIONS")
        ? handler(request, context)
        : new Response(null, { status: 405 });
    },
  });
};
