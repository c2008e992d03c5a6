import { ExactEvmScheme, type ExactEvmSchemeConfig } from "../../facilitator/exactEvmScheme.js";
import type { FacilitatorEvmSigner } from "../../facilitator/signer.js";
import type { FacilitatorEvmSignerSource } from "../../facilitator/viemSigner.js";

const shared = new WeakMap<object, ExactEvmScheme>();

/**
 * The one v2 {@link ExactEvmScheme} of a signer: the first call builds it (with `config`),
 * later calls with the same signer object get that instance, so the v2 and v1 registrations
 * of one signer share one settlement ledger (a payment settles once whichever version
 * carries it). A scheme passed in is returned as is.
 *
 * @example
 * ```ts
 * const v2 = exactEvmSchemeFor(signer);
 * exactEvmSchemeFor(signer) === v2; // true
 * ```
 */
export function exactEvmSchemeFor(
  signer: ExactEvmScheme | FacilitatorEvmSigner | FacilitatorEvmSignerSource,
  config?: ExactEvmSchemeConfig,
): ExactEvmScheme {
  if (signer instanceof ExactEvmScheme) return signer;
  const known = shared.get(signer);
  if (known) return known;
  const scheme = new ExactEvmScheme(signer, config);
  shared.set(signer, scheme);
  return scheme;
}
