import type { SchemeServerRegistry } from "@x402kit/core";
import { ExactSvmScheme } from "./exactSvmScheme.js";

/**
 * Options of {@link registerExactSvmScheme} (the official `SvmResourceServerConfig`, plus `scheme`).
 *
 * @example
 * ```ts
 * registerExactSvmScheme(server, { networks: [SOLANA_DEVNET_CAIP2], rpcUrl });
 * ```
 */
export interface SvmResourceServerConfig {
  /** Networks or patterns to accept; default `["solana:*"]`. */
  networks?: readonly string[];
  /** RPC used to put a recent blockhash in each 402. */
  rpcUrl?: string;
  /** x402kit addition: a pre-configured scheme (e.g. with money parsers). */
  scheme?: ExactSvmScheme;
}

/**
 * Register the Solana `exact` server scheme on a resource-server engine (`solana:*` by default).
 *
 * @example
 * ```ts
 * const server = registerExactSvmScheme(new x402ResourceServer(facilitator));
 * ```
 */
export function registerExactSvmScheme<S extends SchemeServerRegistry>(
  server: S,
  config: SvmResourceServerConfig = {},
): S {
  const scheme = config.scheme ?? new ExactSvmScheme(config.rpcUrl ? { rpcUrl: config.rpcUrl } : {});
  for (const network of config.networks ?? ["solana:*"]) server.register(network, scheme);
  return server;
}
