import type { SchemeServerRegistry } from "@x402kit/core";
import { ExactAptosScheme } from "./exactAptosScheme.js";

/**
 * Options of {@link registerExactAptosScheme}.
 *
 * @example
 * ```ts
 * registerExactAptosScheme(server, { networks: ["aptos:4"], scheme: new ExactAptosScheme().registerMoneyParser(parser) });
 * ```
 */
export interface AptosResourceServerConfig {
  /** Networks or patterns to accept payments on; default `["aptos:*"]`. */
  networks?: readonly string[];
  /** A pre-configured scheme; default `new ExactAptosScheme()`. */
  scheme?: ExactAptosScheme;
}

/**
 * Register the Aptos `exact` server scheme on a resource-server engine (`aptos:*` by default).
 *
 * @example
 * ```ts
 * const server = registerExactAptosScheme(new x402ResourceServer(facilitator));
 * ```
 */
export function registerExactAptosScheme<S extends SchemeServerRegistry>(
  server: S,
  config: AptosResourceServerConfig = {},
): S {
  const scheme = config.scheme ?? new ExactAptosScheme();
  for (const network of config.networks ?? ["aptos:*"]) server.register(network, scheme);
  return server;
}
