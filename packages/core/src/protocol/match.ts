import type { PaymentRequirements } from "./types.js";

const CORE_FIELDS = ["scheme", "network", "amount", "asset", "payTo", "maxTimeoutSeconds"] as const;

/**
 * True when `claimed` (a client's `accepted`) answers `offered` (one of the server's
 * `accepts[]`): the core fields are equal and every `extra` entry the server declared is
 * present, recursively, in the client's copy. Extra client keys are tolerated, as the
 * official server does since 2.13.
 * @example
 * ```ts
 * requirementsMatch(offer, payload.accepted); // true when the client echoed the offer
 * ```
 */
export function requirementsMatch(offered: PaymentRequirements, claimed: PaymentRequirements): boolean {
  for (const field of CORE_FIELDS) if (offered[field] !== claimed[field]) return false;
  return containsAll(offered.extra ?? {}, claimed.extra ?? {});
}

/**
 * The first of `offers` that `claimed` answers, or `undefined`.
 *
 * @example
 * ```ts
 * const requirements = findMatchingRequirements(accepts, payload.accepted);
 * ```
 */
export function findMatchingRequirements(
  offers: readonly PaymentRequirements[],
  claimed: PaymentRequirements,
): PaymentRequirements | undefined {
  return offers.find((offer) => requirementsMatch(offer, claimed));
}

/**
 * Why `claimed` answers none of `offers`, as a wire reason and a message naming the first
 * field that differs from the closest offer.
 * @example
 * ```ts
 * const { reason, message } = explainMismatch(accepts, payload.accepted);
 * ```
 */
export function explainMismatch(
  offers: readonly PaymentRequirements[],
  claimed: PaymentRequirements,
): { reason: "unsupported_scheme" | "invalid_network" | "invalid_payment_requirements"; message: string } {
  const sameScheme = offers.filter((o) => o.scheme === claimed.scheme);
  if (sameScheme.length === 0)
    return { reason: "unsupported_scheme", message: `scheme "${claimed.scheme}" is not accepted here` };
  const sameNetwork = sameScheme.filter((o) => o.network === claimed.network);
  if (sameNetwork.length === 0)
    return {
      reason: "invalid_network",
      message: `network "${claimed.network}" is not accepted for "${claimed.scheme}"`,
    };
  const offer = sameNetwork[0] as PaymentRequirements;
  const field = CORE_FIELDS.find((f) => offer[f] !== claimed[f]) ?? "extra";
  return {
    reason: "invalid_payment_requirements",
    message: `accepted.${field} does not match the requirements offered for this resource`,
  };
}

function containsAll(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((item, i) => containsAll(item, actual[i]) && containsAll(actual[i], item))
    );
  }
  if (typeof expected !== "object" || expected === null || typeof actual !== "object" || actual === null)
    return false;
  for (const [key, value] of Object.entries(expected)) {
    if (value === undefined) continue;
    if (!containsAll(value, (actual as Record<string, unknown>)[key])) return false;
  }
  return true;
}
