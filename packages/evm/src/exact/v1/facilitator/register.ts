import { type SchemeFacilitatorRegistry, X402Error } from "@x402kit/core";
import { evmNetworkNameV1 } from "../../../v1/networks.js";
import type { ExactEvmScheme, ExactEvmSchemeConfig } from "../../facilitator/exactEvmScheme.js";
import type { FacilitatorEvmSigner } from "../../facilitator/signer.js";
import type { FacilitatorEvmSignerSource } from "../../facilitator/viemSigner.js";
import { ExactEvmSchemeV1 } from "./exactEvmSchemeV1.js";

/**
 * Options of {@link registerExactEvmSchemeV1}.
 *
 * @example
 * ```ts
 * const config: EvmFacilitatorConfigV1 = { scheme: v2Scheme };
 * ```
 */
export interface EvmFacilitatorConfigV1 extends ExactEvmSchemeConfig {
  /** The v2 scheme to share (same signer, same settlement ledger); or give `signer`. */
  scheme?: ExactEvmScheme;
  signer?: FacilitatorEvmSigner | FacilitatorEvmSignerSource;
  /** v1 names to register; default the v1 name of the scheme's chain. */
  networks?: string | readonly string[];
}

/**
 * Register the v1 EVM `exact` facilitator under the v1 name of its chain (`base-sepolia` for
 * `eip155:84532`, or a name added with `registerEvmNetworkV1`).
 *
 * @throws {X402Error} `invalid_facilitator_config` without a scheme or signer, or when the chain has no v1 name.
 * @example
 * ```ts
 * const v2 = new ExactEvmScheme({ walletClient });
 * registerExactEvmSchemeV1(facilitator.register(v2.network, v2), { scheme: v2 });
 * ```
 */
export function registerExactEvmSchemeV1<F extends SchemeFacilitatorRegistry>(
  facilitator: F,
  { scheme, signer, networks, ...config }: EvmFacilitatorConfigV1,
): F {
  const source = scheme ?? signer;
  if (!source) throw new X402Error("invalid_facilitator_config", "give a v2 scheme or a signer");
  const v1 = new ExactEvmSchemeV1(source, config);
  const names = networks === undefined ? [evmNetworkNameV1(v1.v2.network)] : [networks].flat();
  if (!facilitator.registerV1)
    throw new X402Error("invalid_facilitator_config", "this facilitator has no registerV1");
  for (const name of names) {
    if (!name) throw new X402Error("invalid_facilitator_config", `${v1.v2.network} has no v1 network name`);
    facilitator.registerV1(name, v1);
  }
  return facilitator;
}
