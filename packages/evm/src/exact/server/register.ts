import type { SchemeServerRegistry } from "@x402kit/core";
import { ExactEvmScheme } from "./exactEvmScheme.js";

/**
 * Options of {@link registerExactEvmScheme} (the official `EvmResourceServerConfig`, plus `scheme`).
 *
 * @example
 * ```ts
 * registerExactEvmScheme(server, { networks: ["eip155:8453"], scheme: new ExactEvmScheme().registerMoneyParser(parser) });
 * ```
 */
export interface EvmResourceServerConfig {
  /** Networks or patterns to accept payments on; default `["eip155:*"]`. */
  networks?: readonly string[];
  /** x402kit addition: a pre-configured scheme (e.g. with money parsers); default `new ExactEvmScheme()`. */
  scheme?: ExactEvmScheme;
}

/**
 * Register the EVM `exact` server scheme on a resource-server engine (x402 v2, `eip155:*` by default).
 *
 * @example
 * ```ts
 * const server = registerExactEvmScheme(new x402ResourceServer(facilitator));
 * ```
 */
export function registerExactEvmScheme<S extends SchemeServerRegistry>(
  server: S,
  config: EvmResourceServerConfig = {},
): S {
  const scheme = config.scheme ?? new ExactEvmScheme();
  for (const network of config.networks ?? ["eip155:*"]) server.register(network, scheme);
  return server;
}
