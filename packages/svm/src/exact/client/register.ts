import type { PaymentPolicy, SelectPaymentRequirements, x402Client } from "@x402kit/core/client";
import { NETWORKS } from "../v1/networks.js";
import { type ClientSvmConfig, type ClientSvmSigner, ExactSvmScheme } from "./exactSvmScheme.js";
import { ExactSvmSchemeV1 } from "./exactSvmSchemeV1.js";

/**
 * Configuration of {@link registerExactSvmScheme} (the official client shape, plus `schemeOptions`).
 *
 * @example
 * ```ts
 * const config: SvmClientConfig = { signer, schemeOptions: { rpcUrl: "http://127.0.0.1:8899" } };
 * ```
 */
export interface SvmClientConfig {
  signer: ClientSvmSigner;
  /** v2 networks or patterns; default `["solana:*"]`. */
  networks?: readonly string[];
  policies?: readonly PaymentPolicy[];
  paymentRequirementsSelector?: SelectPaymentRequirements;
  /** x402kit addition: RPC settings of the schemes (e.g. a local chain's URL). */
  schemeOptions?: ClientSvmConfig;
}

/**
 * Register the Solana `exact` client scheme: v2 on `solana:*` (or `networks`) and v1 on the
 * v1 names (`solana`, `solana-devnet`, `solana-testnet`), plus the given policies.
 *
 * @example
 * ```ts
 * const client = registerExactSvmScheme(new x402Client(), { signer });
 * ```
 */
export function registerExactSvmScheme(client: x402Client, config: SvmClientConfig): x402Client {
  const scheme = new ExactSvmScheme(config.signer, config.schemeOptions);
  for (const network of config.networks ?? ["solana:*"]) client.register(network, scheme);
  const v1 = new ExactSvmSchemeV1(config.signer, config.schemeOptions);
  for (const network of NETWORKS) client.registerV1(network, v1);
  for (const policy of config.policies ?? []) client.registerPolicy(policy);
  if (config.paymentRequirementsSelector)
    client.setPaymentRequirementsSelector(config.paymentRequirementsSelector);
  return client;
}
