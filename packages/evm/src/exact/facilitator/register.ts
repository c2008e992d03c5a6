import type { SchemeFacilitator } from "@x402kit/core";
import { ExactEvmFacilitator, type ExactEvmFacilitatorOptions } from "./exactEvmFacilitator.js";
import type { FacilitatorEvmSigner } from "./signer.js";
import type { ViemFacilitatorClients } from "./viemSigner.js";

/**
 * Anything with the facilitator engine's `register(networks, scheme)`.
 *
 * @example
 * ```ts
 * const registry: SchemeFacilitatorRegistry = new x402Facilitator();
 * ```
 */
export interface SchemeFacilitatorRegistry {
  register(networks: string | string[], scheme: SchemeFacilitator): unknown;
}

/**
 * Options of {@link registerExactEvmFacilitator}.
 *
 * @example
 * ```ts
 * registerExactEvmFacilitator(facilitator, { signers: { walletClient }, receiptTimeoutMs: 30_000 });
 * ```
 */
export interface RegisterExactEvmFacilitatorOptions extends ExactEvmFacilitatorOptions {
  /** One signer (or viem clients) per chain; each is registered for its own `eip155:<chainId>`. */
  signers:
    | FacilitatorEvmSigner
    | ViemFacilitatorClients
    | ReadonlyArray<FacilitatorEvmSigner | ViemFacilitatorClients>;
}

/**
 * Register one {@link ExactEvmFacilitator} per signer, each for the network of its chain.
 *
 * @example
 * ```ts
 * registerExactEvmFacilitator(new x402Facilitator(), {
 *   signers: [{ walletClient: baseWallet }, { walletClient: polygonWallet }],
 * });
 * ```
 */
export function registerExactEvmFacilitator<F extends SchemeFacilitatorRegistry>(
  facilitator: F,
  { signers, ...options }: RegisterExactEvmFacilitatorOptions,
): F {
  const list = Array.isArray(signers) ? signers : [signers];
  for (const signer of list) {
    const scheme = new ExactEvmFacilitator(signer as FacilitatorEvmSigner | ViemFacilitatorClients, options);
    facilitator.register(scheme.network, scheme);
  }
  return facilitator;
}
