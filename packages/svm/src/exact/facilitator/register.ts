import type { SchemeFacilitatorRegistry } from "@x402kit/core";
import { V1_TO_V2_NETWORK_MAP } from "../../constants.js";
import { NETWORKS } from "../v1/networks.js";
import { ExactSvmScheme, type ExactSvmSchemeOptions } from "./exactSvmScheme.js";
import { ExactSvmSchemeV1 } from "./exactSvmSchemeV1.js";
import { SettlementCache } from "./settlementCache.js";
import type { FacilitatorSvmSigner } from "./signer.js";

/**
 * Options of {@link registerExactSvmScheme} (the official `SvmFacilitatorConfig`, plus the scheme options).
 *
 * @example
 * ```ts
 * const config: SvmFacilitatorConfig = { signer, networks: SOLANA_DEVNET_CAIP2, store };
 * ```
 */
export interface SvmFacilitatorConfig extends ExactSvmSchemeOptions {
  signer: FacilitatorSvmSigner;
  /** CAIP-2 networks to serve. */
  networks: string | string[];
}

/**
 * Register SVM `exact` on a facilitator: v2 on the given networks and, when the engine takes
 * v1, v1 on the v1 names of those networks; both share one duplicate-settlement cache.
 *
 * @example
 * ```ts
 * registerExactSvmScheme(new x402Facilitator(), { signer, networks: SOLANA_DEVNET_CAIP2 });
 * ```
 */
export function registerExactSvmScheme<F extends SchemeFacilitatorRegistry>(
  facilitator: F,
  { signer, networks, ...options }: SvmFacilitatorConfig,
): F {
  const list = typeof networks === "string" ? [networks] : networks;
  const cache = new SettlementCache(options.store);
  facilitator.register(list, new ExactSvmScheme(signer, cache, options));
  const v1Names = NETWORKS.filter((name) => list.includes(v1ToCaip2(name)));
  if (facilitator.registerV1 && v1Names.length > 0)
    facilitator.registerV1(v1Names, new ExactSvmSchemeV1(signer, cache, options));
  return facilitator;
}

function v1ToCaip2(name: string): string {
  return V1_TO_V2_NETWORK_MAP[name] ?? name;
}
