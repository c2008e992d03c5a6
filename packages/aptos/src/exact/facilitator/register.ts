import type { SchemeFacilitatorRegistry } from "@x402kit/core";
import { ExactAptosScheme, type ExactAptosSchemeConfig } from "./exactAptosScheme.js";
import type { FacilitatorAptosSigner } from "./signer.js";

/**
 * Options of {@link registerExactAptosScheme}.
 *
 * @example
 * ```ts
 * const config: AptosFacilitatorConfig = { signer, networks: ["aptos:4"], store };
 * ```
 */
export interface AptosFacilitatorConfig extends ExactAptosSchemeConfig {
  signer: FacilitatorAptosSigner;
  /** Networks to serve; default `["aptos:1", "aptos:2"]`. */
  networks?: string | readonly string[];
}

/**
 * Register the facilitator side of Aptos `exact` for the given networks (one scheme instance).
 *
 * @example
 * ```ts
 * registerExactAptosScheme(new x402Facilitator(), { signer: toFacilitatorAptosSigner(account), networks: "aptos:2" });
 * ```
 */
export function registerExactAptosScheme<F extends SchemeFacilitatorRegistry>(
  facilitator: F,
  { signer, networks, ...config }: AptosFacilitatorConfig,
): F {
  const list =
    networks === undefined
      ? ["aptos:1", "aptos:2"]
      : typeof networks === "string"
        ? [networks]
        : [...networks];
  facilitator.register(list, new ExactAptosScheme(signer, config));
  return facilitator;
}
