import type { PaymentPolicy, x402Client } from "@x402kit/core/client";
import type { RpcConfig } from "../../networks.js";
import type { ClientStellarSigner } from "../../signer.js";
import { ExactStellarScheme } from "./exactStellarScheme.js";

/**
 * Configuration of {@link registerExactStellarScheme}.
 *
 * @example
 * ```ts
 * const config: StellarClientConfig = { signer: createEd25519Signer(secret), rpcConfig: { url } };
 * ```
 */
export interface StellarClientConfig {
  signer: ClientStellarSigner;
  /** Networks or patterns to pay on; default `["stellar:*"]`. */
  networks?: readonly string[];
  rpcConfig?: RpcConfig;
  policies?: readonly PaymentPolicy[];
}

/**
 * Register the Stellar `exact` client scheme on a client (`stellar:*` by default).
 *
 * @example
 * ```ts
 * const client = registerExactStellarScheme(new x402Client(), { signer: createEd25519Signer(secret) });
 * ```
 */
export function registerExactStellarScheme(client: x402Client, config: StellarClientConfig): x402Client {
  const scheme = new ExactStellarScheme(config.signer, config.rpcConfig);
  for (const network of config.networks ?? ["stellar:*"]) client.register(network, scheme);
  for (const policy of config.policies ?? []) client.registerPolicy(policy);
  return client;
}
