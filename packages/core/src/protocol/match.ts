import type { PaymentRequirements } from "./types.js";

const CORE_FIELDS = ["scheme", "network", "amount", "asset", "payTo", "maxTimeoutSeconds"] as const;

/**
 * How one scheme compares requirements: its address rule and the `extra` keys that vary per
 * request. Supplied by the scheme's server part; the defaults suit any chain.
 *
 * @example
 * ```ts
 * const evm: MatchRules = { sameAddress: (a, b) => a.toLowerCase() === b.toLowerCase() };
 * ```
 */
export interface MatchRules {
  /** Address equality for `asset` and `payTo`. Default: exact string equality (case-sensitive chains). */
  sameAddress?(a: string, b: string): boolean;
  /** `extra` keys left out of the comparison. */
  dynamicExtraFields?: readonly string[];
}

/**
 * True when `claimed` (a client's `accepted`) answers `offered` (one of the server's
 * `accepts[]`): the core fields are equal (addresses by the scheme's rule) and every `extra`
 * entry the server declared is present, recursively, in the client's copy. Extra client keys
 * are tolerated, as the official server does since 2.13.
 * @example
 * ```ts
 * requirementsMatch(offer, payload.accepted); // true when the client echoed the offer
 * ```
 */
export function requirementsMatch(
  offered: PaymentRequirements,
  claimed: PaymentRequirements,
  rules?: MatchRules,
): boolean {
  return firstDifference(offered, claimed, rules) === undefined;
}

/**
 * The first of `offers` that `claimed` answers, or `undefined`. `rulesFor` gives each offer's
 * scheme rules (the resource server asks the registered scheme).
 *
 * @example
 * ```ts
 * const requirements = findMatchingRequirements(accepts, payload.accepted);
 * ```
 */
export function findMatchingRequirements(
  offers: readonly PaymentRequirements[],
  claimed: PaymentRequirements,
  rulesFor?: (offer: PaymentRequirements) => MatchRules | undefined,
): PaymentRequirements | undefined {
  for (const offer of offers)
    if (firstDifference(offer, claimed, rulesFor?.(offer)) === undefined) return offer;
  return undefined;
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
  rulesFor?: (offer: PaymentRequirements) => MatchRules | undefined,
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
  const field = firstDifference(offer, claimed, rulesFor?.(offer)) ?? "extra";
  return {
    reason: "invalid_payment_requirements",
    message: `accepted.${field} does not match the requirements offered for this resource`,
  };
}

function firstDifference(
  offered: PaymentRequirements,
  claimed: PaymentRequirements,
  rules: MatchRules | undefined,
): string | undefined {
  const sameAddress = rules?.sameAddress;
  for (const field of CORE_FIELDS) {
    const a = offered[field];
    const b = claimed[field];
    if (a === b) continue;
    if (
      sameAddress &&
      (field === "asset" || field === "payTo") &&
      typeof b === "string" &&
      sameAddress(a as string, b)
    )
      continue;
    return field;
  }
  const dynamic = rules?.dynamicExtraFields;
  const expected = offered.extra ?? {};
  const actual = claimed.extra ?? {};
  if (!dynamic || dynamic.length === 0) return containsAll(expected, actual) ? undefined : "extra";
  for (const [key, value] of Object.entries(expected)) {
    if (value === undefined || dynamic.includes(key)) continue;
    if (!containsAll(value, (actual as Record<string, unknown>)[key])) return "extra";
  }
  return undefined;
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
