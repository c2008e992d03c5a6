import type { PaymentPolicy, SelectPaymentRequirements, x402Client } from "@x402kit/core/client";
import { ExactAptosScheme } from "./exactAptosScheme.js";
import type { ClientAptosConfig, ClientAptosSigner } from "./signer.js";

/**
 * Configuration of {@link registerExactAptosScheme} (the shape of the official EVM/SVM helpers).
 *
 * @example
 * ```ts
 * const config: AptosClientConfig = { signer: Account.generate(), networks: ["aptos:2"] };
 * ```
 */
export interface AptosClientConfig {
  signer: ClientAptosSigner;
  /** Networks or patterns to pay on; default `["aptos:*"]`. */
  networks?: readonly string[];
  /** Policies added to the client. */
  policies?: readonly PaymentPolicy[];
  /** Options of each {@link ExactAptosScheme} (node URLs, gas, expiration). */
  schemeOptions?: ClientAptosConfig;
  /** Replaces the client's requirement selector. */
  paymentRequirementsSelector?: SelectPaymentRequirements;
}

/**
 * Register the Aptos `exact` client scheme on a client (`aptos:*` by default). Returns the client.
 *
 * @example
 * ```ts
 * const client = registerExactAptosScheme(new x402Client(), { signer: account, schemeOptions: { rpcUrl } });
 * ```
 */
export function registerExactAptosScheme(client: x402Client, config: AptosClientConfig): x402Client {
  const scheme = new ExactAptosScheme(config.signer, config.schemeOptions);
  for (const network of config.networks ?? ["aptos:*"]) client.register(network, scheme);
  for (const policy of config.policies ?? []) client.registerPolicy(policy);
  if (config.paymentRequirementsSelector)
    client.setPaymentRequirementsSelector(config.paymentRequirementsSelector);
  return client;
}
