import type { x402Client } from "@x402kit/core/client";
import { evmNetworksV1 } from "../../../v1/networks.js";
import type { EvmSchemeOptions } from "../../client/exactEvmScheme.js";
import type { ClientEvmSigner } from "../../client/signer.js";
import { ExactEvmSchemeV1 } from "./exactEvmSchemeV1.js";

/**
 * Configuration of {@link registerExactEvmSchemeV1}.
 *
 * @example
 * ```ts
 * const config: EvmClientConfigV1 = { signer: privateKeyToAccount(key), networks: ["base"] };
 * ```
 */
export interface EvmClientConfigV1 {
  signer: ClientEvmSigner;
  /** v1 names to pay on; default every known name (`evmNetworksV1()`). */
  networks?: readonly string[];
  schemeOptions?: EvmSchemeOptions;
}

/**
 * Register {@link ExactEvmSchemeV1} for v1 network names, so the client pays v1 servers too.
 *
 * @example
 * ```ts
 * registerExactEvmSchemeV1(client, { signer: privateKeyToAccount(key) });
 * ```
 */
export function registerExactEvmSchemeV1(client: x402Client, config: EvmClientConfigV1): x402Client {
  const scheme = new ExactEvmSchemeV1(config.signer, config.schemeOptions);
  for (const network of config.networks ?? evmNetworksV1()) client.registerV1(network, scheme);
  return client;
}
