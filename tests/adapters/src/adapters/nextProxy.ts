// Must run before any Next module loads (as `next start` does).
import "../../../../packages/next/test/support/nodeEnvironment.js";
import { paymentCors, paymentProxy } from "@x402kit/next";
import { allowsMethod, contractHandlers } from "../../../../packages/next/test/support/contractHandlers.js";
import { startNextApp } from "../../../../packages/next/test/support/nextApp.js";
import type { AdapterFactory, ConformanceRoute } from "../contract.js";

/**
 * The conformance app on `@x402kit/next`'s proxy: a real Next.js production server (the
 * fixture app in packages/next/test/fixtureApp, built with `next build`) whose `proxy.ts` is
 * `paymentCors()(paymentProxy(routes, server))` and whose route handlers are the contract's.
 */
export const nextProxyFactory: AdapterFactory = async ({ routes, server, hit }) => {
  const content = contractHandlers((name) => hit(name as ConformanceRoute));
  return startNextApp({
    proxy: paymentCors()(paymentProxy(routes, server)),
    route: (name, request, context) => {
      const handler = content[name];
      return handler && allowsMethod(name, request.method)
        ? handler(request, context)
        : new Response(null, { status: 405 });
    },
  });
};
