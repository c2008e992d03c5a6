import type { SchemeClient } from "@x402kit/core";
import { ExactEvmClient } from "./exactEvmClient.js";
import type { ClientEvmSigner } from "./signer.js";

/**
 * Anything with the client engine's `register(networkPattern, scheme)`.
 *
 * @example
 * ```ts
 * const registry: SchemeClientRegistry = new x402Client();
 * ```
 */
export interface SchemeClientRegistry {
  register(networkPattern: string, scheme: SchemeClient): unknown;
}

/**
 * Options of {@link registerExactEvmClient}.
 *
 * @example
 * ```ts
 * registerExactEvmClient(client, { signer: account, networks: ["eip155:8453"] });
 * ```
 */
export interface RegisterExactEvmClientOptions {
  signer: ClientEvmSigner;
  /** Networks or patterns to pay on; default `["eip155:*"]` (every EVM chain). */
  networks?: readonly string[];
}

/**
 * Register the EVM exact client on a client engine for `eip155:*` (or the given networks).
 *
 * @example
 * ```ts
 * const client = registerExactEvmClient(new x402Client(), { signer: privateKeyToAccount(key) });
 * ```
 */
export function registerExactEvmClient<C extends SchemeClientRegistry>(
  client: C,
  options: RegisterExactEvmClientOptions,
): C {
  const scheme = new ExactEvmClient(options.signer);
  for (const network of options.networks ?? ["eip155:*"]) client.register(network, scheme);
  return client;
}
