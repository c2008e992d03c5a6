import { networkMatches } from "../protocol/registry.js";
import type { PaymentRequired, PaymentRequiredV1, PaymentRequirements } from "../protocol/types.js";

/** Which requirement to prefer when several can be paid. */
export interface PaymentPreferences {
  /**
   * Networks (or `ns:*` patterns) the client may pay on, most preferred first. Requirements
   * on other networks are never paid: there is no silent fallback.
   */
  networks?: readonly string[];
  /** Schemes the client may use, most preferred first. */
  schemes?: readonly string[];
}

/** A 402 of either protocol version. */
export type AnyPaymentRequired = PaymentRequired | PaymentRequiredV1;

/**
 * The `accepts[]` of a 402 in one shape. A v1 entry keeps every field it came with and gains
 * `amount` (= `maxAmountRequired`), so spend controls, policies and hooks read one field.
 */
export function candidatesOf(paymentRequired: AnyPaymentRequired): PaymentRequirements[] {
  if (paymentRequired.x402Version === 2) return paymentRequired.accepts;
  return paymentRequired.accepts.map(
    (r) => ({ ...r, amount: r.maxAmountRequired }) as unknown as PaymentRequirements,
  );
}

/** Keep what the preferences allow, most preferred first. */
export function applyPreferences(
  candidates: PaymentRequirements[],
  preferences: PaymentPreferences,
): PaymentRequirements[] {
  const { networks, schemes } = preferences;
  if (!networks && !schemes) return candidates;
  const allowed = candidates.filter(
    (r) =>
      (!networks || networks.some((p) => networkMatches(p, r.network))) &&
      (!schemes || schemes.includes(r.scheme)),
  );
  const rank = (r: PaymentRequirements) =>
    (networks ? networks.findIndex((p) => networkMatches(p, r.network)) : 0) * 1000 +
    (schemes ? schemes.indexOf(r.scheme) : 0);
  return allowed.sort((a, b) => rank(a) - rank(b));
}

/**
 * Merge the extension data a client adds into what the server declared. The client may add
 * fields; every field the server declared keeps the server's value.
 */
export function mergeExtensions(
  server: Record<string, unknown> | null | undefined,
  client: Record<string, unknown> | null | undefined,
): Record<string, unknown> | undefined {
  if (!server && !client) return undefined;
  return mergeKeepingFirst(server ?? {}, client ?? {}) as Record<string, unknown>;
}

function mergeKeepingFirst(first: unknown, second: unknown): unknown {
  if (!isPlainObject(first) || !isPlainObject(second)) return first === undefined ? second : first;
  const merged: Record<string, unknown> = { ...second };
  for (const [key, value] of Object.entries(first)) merged[key] = mergeKeepingFirst(value, second[key]);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
