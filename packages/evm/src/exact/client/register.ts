import type { PaymentPolicy, SelectPaymentRequirements, x402Client } from "@x402kit/core/client";
import { evmNetworksV1 } from "../../v1/networks.js";
import { ExactEvmSchemeV1 } from "../v1/client/exactEvmSchemeV1.js";
import { type EvmSchemeOptions, ExactEvmScheme } from "./exactEvmScheme.js";
import type { ClientEvmSigner } from "./signer.js";

/**
 * Configuration of {@link registerExactEvmScheme} (the official client shape).
 *
 * @example
 * ```ts
 * const config: EvmClientConfig = { signer: privateKeyToAccount(key), networks: ["eip155:8453"] };
 * ```
 */
export interface EvmClientConfig {
  signer: ClientEvmSigner;
  /** Networks or patterns to pay on; default `["eip155:*"]` (every EVM chain). */
  networks?: readonly string[];
  /** Policies added to the client (`client.registerPolicy`). */
  policies?: readonly PaymentPolicy[];
  /** RPC settings handed to each {@link ExactEvmScheme}. */
  schemeOptions?: EvmSchemeOptions;
  /** Replaces the client's requirement selector (the official helper ignores it; we apply it). */
  paymentRequirementsSelector?: SelectPaymentRequirements;
}

/**
 * Register the EVM `exact` client scheme on a client for `eip155:*` (or the given networks),
 * and, as the official helper does, its v1 twin for every v1 EVM network name (`base`,
 * `base-sepolia`, …), plus the given policies. Returns the client.
 *
 * @example
 * ```ts
 * const client = registerExactEvmScheme(new x402Client(), { signer: privateKeyToAccount(key) });
 * ```
 */
export function registerExactEvmScheme(client: x402Client, config: EvmClientConfig): x402Client {
  const scheme = new ExactEvmScheme(config.signer, config.schemeOptions);
  for (const network of config.networks ?? ["eip155:*"]) client.register(network, scheme);
  const v1 = new ExactEvmSchemeV1(config.signer, config.schemeOptions);
  for (const name of evmNetworksV1()) client.registerV1(name, v1);
  for (const policy of config.policies ?? []) client.registerPolicy(policy);
  if (config.paymentRequirementsSelector)
    client.setPaymentRequirementsSelector(config.paymentRequirementsSelector);
  return client;
}
