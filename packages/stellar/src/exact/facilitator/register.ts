import type { SchemeFacilitatorRegistry } from "@x402kit/core";
import type { FacilitatorStellarSigner } from "../../signer.js";
import { ExactStellarScheme, type ExactStellarSchemeConfig } from "./exactStellarScheme.js";

/**
 * Options of {@link registerExactStellarScheme}.
 *
 * @example
 * ```ts
 * const config: StellarFacilitatorConfig = { signers: [createEd25519Signer(secret)], networks: "stellar:testnet" };
 * ```
 */
export interface StellarFacilitatorConfig extends ExactStellarSchemeConfig {
  signers: FacilitatorStellarSigner[];
  /** Networks to serve. Default `stellar:pubnet` and `stellar:testnet`. */
  networks?: string | readonly string[];
}

/**
 * Register the facilitator side of Stellar `exact` on a facilitator engine.
 *
 * @example
 * ```ts
 * registerExactStellarScheme(new x402Facilitator(), { signers: [signer], networks: "stellar:testnet", rpcConfig: { url } });
 * ```
 */
export function registerExactStellarScheme<F extends SchemeFacilitatorRegistry>(
  facilitator: F,
  { signers, networks, ...config }: StellarFacilitatorConfig,
): F {
  const scheme = new ExactStellarScheme(signers, config);
  const list =
    networks === undefined
      ? ["stellar:pubnet", "stellar:testnet"]
      : typeof networks === "string"
        ? [networks]
        : networks;
  facilitator.register([...list], scheme);
  return facilitator;
}
