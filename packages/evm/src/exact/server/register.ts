import type { SchemeServer } from "@x402kit/core";
import { ExactEvmServer } from "./exactEvmServer.js";

/**
 * Anything with the resource-server engine's `register(networkPattern, scheme)`.
 *
 * @example
 * ```ts
 * const registry: SchemeServerRegistry = new x402ResourceServer(facilitator);
 * ```
 */
export interface SchemeServerRegistry {
  register(networkPattern: string, scheme: SchemeServer): unknown;
}

/**
 * Options of {@link registerExactEvmServer}.
 *
 * @example
 * ```ts
 * registerExactEvmServer(server, { networks: ["eip155:8453"], scheme: new ExactEvmServer().registerMoneyParser(parser) });
 * ```
 */
export interface RegisterExactEvmServerOptions {
  /** Networks or patterns to accept payments on; default `["eip155:*"]`. */
  networks?: readonly string[];
  /** A pre-configured scheme (e.g. with money parsers); default `new ExactEvmServer()`. */
  scheme?: ExactEvmServer;
}

/**
 * Register the EVM exact server scheme on a resource-server engine.
 *
 * @example
 * ```ts
 * const server = registerExactEvmServer(new x402ResourceServer(facilitator));
 * ```
 */
export function registerExactEvmServer<S extends SchemeServerRegistry>(
  server: S,
  options: RegisterExactEvmServerOptions = {},
): S {
  const scheme = options.scheme ?? new ExactEvmServer();
  for (const network of options.networks ?? ["eip155:*"]) server.register(network, scheme);
  return server;
}
