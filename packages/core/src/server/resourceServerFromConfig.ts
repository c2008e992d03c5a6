import type { FacilitatorClient, SchemeServer } from "../schemes/index.js";
import { x402ResourceServer } from "./x402ResourceServer.js";

/** A scheme server for a network (or `ns:*` pattern), as the adapters' `…FromConfig` factories take it. */
export interface SchemeRegistration {
  network: string;
  server: SchemeServer;
}

/**
 * A resource server from facilitator clients and scheme registrations: what every adapter's
 * `paymentMiddlewareFromConfig` / `paymentProxyFromConfig` builds before the middleware.
 *
 * @example
 * ```ts
 * const server = resourceServerFromConfig(new HTTPFacilitatorClient({ url }), [
 *   { network: "eip155:*", server: new ExactEvmScheme() },
 * ]);
 * ```
 */
export function resourceServerFromConfig(
  facilitatorClients?: FacilitatorClient | FacilitatorClient[],
  schemes: readonly SchemeRegistration[] = [],
): x402ResourceServer {
  const server = new x402ResourceServer(facilitatorClients);
  for (const { network, server: scheme } of schemes) server.register(network, scheme);
  return server;
}
