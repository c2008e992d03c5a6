import type { SchemeServerRegistry } from "@x402kit/core";
import { ExactStellarScheme } from "./exactStellarScheme.js";

/**
 * Options of {@link registerExactStellarScheme}.
 *
 * @example
 * ```ts
 * registerExactStellarScheme(server, { networks: ["stellar:pubnet"] });
 * ```
 */
export interface StellarResourceServerConfig {
  /** Networks or patterns to accept; default `["stellar:*"]`. */
  networks?: readonly string[];
  /** A pre-configured scheme (money parsers); default `new ExactStellarScheme()`. */
  scheme?: ExactStellarScheme;
}

/**
 * Register the Stellar `exact` server scheme on a resource-server engine.
 *
 * @example
 * ```ts
 * const server = registerExactStellarScheme(new x402ResourceServer(facilitator));
 * ```
 */
export function registerExactStellarScheme<S extends SchemeServerRegistry>(
  server: S,
  config: StellarResourceServerConfig = {},
): S {
  const scheme = config.scheme ?? new ExactStellarScheme();
  for (const network of config.networks ?? ["stellar:*"]) server.register(network, scheme);
  return server;
}
