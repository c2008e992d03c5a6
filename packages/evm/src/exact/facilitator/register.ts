import { type SchemeFacilitatorRegistry, X402Error } from "@x402kit/core";
import { evmNetworkNameV1 } from "../../v1/networks.js";
import { ExactEvmSchemeV1 } from "../v1/facilitator/exactEvmSchemeV1.js";
import { exactEvmSchemeFor } from "../v1/facilitator/sharedScheme.js";
import type { ExactEvmSchemeConfig } from "./exactEvmScheme.js";
import type { FacilitatorEvmSigner } from "./signer.js";
import type { FacilitatorEvmSignerSource } from "./viemSigner.js";

/**
 * Options of {@link registerExactEvmScheme} (the official `EvmFacilitatorConfig`, plus ours).
 *
 * @example
 * ```ts
 * const config: EvmFacilitatorConfig = { signer: { walletClient }, networks: "eip155:8453", store };
 * ```
 */
export interface EvmFacilitatorConfig extends ExactEvmSchemeConfig {
  /** The signer of each chain served (one per chain; a list serves several chains). */
  signer:
    | FacilitatorEvmSigner
    | FacilitatorEvmSignerSource
    | ReadonlyArray<FacilitatorEvmSigner | FacilitatorEvmSignerSource>;
  /** Networks to serve (`eip155:<chainId>`); each needs a signer on that chain. Default: each signer's chain. */
  networks?: string | readonly string[];
}

/**
 * Register the facilitator side of EVM `exact` (EIP-3009): one {@link ExactEvmScheme} per
 * signer, for its chain's network. With `networks`, exactly those are registered, and a
 * network no signer is connected to is a configuration error (a scheme only serves its
 * signer's chain). When the engine has `registerV1`, each served chain that has a v1 name
 * (`eip155:84532` → `base-sepolia`) is also registered for v1, sharing the v2 instance (the
 * official function registers every v1 name, whatever chain its signer is on).
 *
 * @throws {X402Error} `invalid_facilitator_config` for a network without a signer on that chain.
 * @example
 * ```ts
 * registerExactEvmScheme(new x402Facilitator(), { signer: { walletClient }, networks: "eip155:8453" });
 * ```
 */
export function registerExactEvmScheme<F extends SchemeFacilitatorRegistry>(
  facilitator: F,
  { signer, networks, ...config }: EvmFacilitatorConfig,
): F {
  const signers = (Array.isArray(signer) ? signer : [signer]) as Array<
    FacilitatorEvmSigner | FacilitatorEvmSignerSource
  >;
  // One v2 instance per signer object, shared with registerExactEvmSchemeV1 (one ledger).
  const schemes = signers.map((one) => exactEvmSchemeFor(one, config));
  const wanted =
    networks === undefined
      ? schemes.map((s) => s.network)
      : typeof networks === "string"
        ? [networks]
        : networks;
  for (const network of new Set(wanted)) {
    const scheme = schemes.find((s) => s.network === network);
    if (!scheme)
      throw new X402Error(
        "invalid_facilitator_config",
        `no signer is connected to ${network} (signers are on ${schemes.map((s) => s.network).join(", ")})`,
      );
    facilitator.register(network, scheme);
    const v1Name = evmNetworkNameV1(network);
    if (v1Name && facilitator.registerV1) facilitator.registerV1(v1Name, new ExactEvmSchemeV1(scheme));
  }
  return facilitator;
}
