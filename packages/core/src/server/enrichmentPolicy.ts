import { X402Error } from "../errors.js";
import type { PaymentRequirements, SettleResponse } from "../protocol/types.js";
import { deepEqual } from "../utils/json.js";

/** `extra` keys only the protocol may set. */
const RESERVED_EXTRA = ["paymentFlow", "assetTransferMethod"] as const;
const FILLABLE = ["payTo", "amount", "asset"] as const;
const FIXED = ["scheme", "network", "maxTimeoutSeconds"] as const;

/**
 * True when a requirement's string field is left for an extension to fill (empty or blank).
 * @example
 * ```ts
 * isVacantStringField("  "); // true
 * ```
 */
export function isVacantStringField(value: string): boolean {
  return value.trim() === "";
}

/**
 * A deep copy of `accepts[]` taken before extensions enrich a 402, to police them after.
 * @example
 * ```ts
 * const baseline = snapshotPaymentRequirementsList(paymentRequired.accepts);
 * ```
 */
export function snapshotPaymentRequirementsList(requirements: PaymentRequirements[]): PaymentRequirements[] {
  return structuredClone(requirements);
}

/**
 * After an extension enriched a 402: `scheme`, `network`, `maxTimeoutSeconds` unchanged;
 * `payTo`, `amount`, `asset` changed only where they were vacant; `extra` only gained keys
 * (never the reserved `paymentFlow` / `assetTransferMethod`). Throws `invalid_payment_requirements`.
 * @example
 * ```ts
 * assertAcceptsAllowlistedAfterExtensionEnrich(baseline, paymentRequired.accepts, "offer-receipt");
 * ```
 */
export function assertAcceptsAllowlistedAfterExtensionEnrich(
  baseline: PaymentRequirements[],
  current: PaymentRequirements[],
  extensionKey: string,
): void {
  const who = `extension "${extensionKey}"`;
  sameLength(baseline, current, who);
  baseline.forEach((before, i) => {
    const after = current[i] as PaymentRequirements;
    for (const field of FIXED)
      if (before[field] !== after[field]) refuse(`${who} changed accepts[${i}].${field}`);
    for (const field of FILLABLE)
      if (before[field] !== after[field] && !isVacantStringField(before[field]))
        refuse(`${who} changed accepts[${i}].${field}, which was not vacant`);
    assertAdditive(before.extra ?? {}, after.extra ?? {}, `${who} in accepts[${i}].extra`);
  });
}

/**
 * After a scheme enriched a 402: only new `extra` keys (never the reserved ones), nothing else.
 * @example
 * ```ts
 * assertAcceptsAdditiveExtraAfterSchemeEnrich(baseline, accepts, "batch-settlement", "eip155:8453");
 * ```
 */
export function assertAcceptsAdditiveExtraAfterSchemeEnrich(
  baseline: PaymentRequirements[],
  current: PaymentRequirements[],
  scheme: string,
  network: string,
): void {
  const who = `scheme "${scheme}" on ${network}`;
  sameLength(baseline, current, who);
  baseline.forEach((before, i) => {
    const after = current[i] as PaymentRequirements;
    for (const field of [...FIXED, ...FILLABLE])
      if (before[field] !== after[field]) refuse(`${who} changed accepts[${i}].${field}`);
    assertAdditive(before.extra ?? {}, after.extra ?? {}, `${who} in accepts[${i}].extra`);
  });
}

/** The settle fields extensions must leave alone. */
export type SettleResponseCoreSnapshot = Pick<
  SettleResponse,
  "success" | "transaction" | "network" | "amount" | "payer" | "errorReason" | "errorMessage"
>;

/**
 * The settle fields an extension must not rewrite, taken before enrichment.
 * @example
 * ```ts
 * const before = snapshotSettleResponseCore(result);
 * ```
 */
export function snapshotSettleResponseCore(result: SettleResponse): SettleResponseCoreSnapshot {
  const { success, transaction, network, amount, payer, errorReason, errorMessage } = result;
  return { success, transaction, network, amount, payer, errorReason, errorMessage };
}

/**
 * Throws when an extension rewrote a facilitator outcome field of a settle response.
 * @example
 * ```ts
 * assertSettleResponseCoreUnchanged(before, result, "offer-receipt");
 * ```
 */
export function assertSettleResponseCoreUnchanged(
  before: SettleResponseCoreSnapshot,
  after: SettleResponse,
  extensionKey: string,
): void {
  if (!deepEqual(before, snapshotSettleResponseCore(after)))
    refuse(`extension "${extensionKey}" changed the settlement outcome`);
}

/**
 * Throws unless `enrichment` only adds fields the payload does not have yet.
 * @example
 * ```ts
 * assertAdditivePayloadEnrichment(payload.payload, { voucherSignature }, "scheme upto");
 * ```
 */
export function assertAdditivePayloadEnrichment(
  payload: Record<string, unknown>,
  enrichment: Record<string, unknown>,
  callerLabel: string,
): void {
  for (const key of Object.keys(enrichment))
    if (key in payload) refuse(`${callerLabel} tried to replace payload.${key}`);
}

/**
 * Throws unless `enrichment` only adds `extra` fields (nested objects may gain fields too).
 * @example
 * ```ts
 * assertAdditiveSettlementExtra(result.extra ?? {}, { chargedAmount }, "scheme batch-settlement");
 * ```
 */
export function assertAdditiveSettlementExtra(
  extra: Record<string, unknown>,
  enrichment: Record<string, unknown>,
  callerLabel: string,
): void {
  assertAdditive(extra, { ...extra, ...mergeDeep(extra, enrichment) }, callerLabel);
}

function assertAdditive(before: Record<string, unknown>, after: Record<string, unknown>, who: string): void {
  for (const key of RESERVED_EXTRA)
    if (!deepEqual(before[key], after[key])) refuse(`${who}: "${key}" is reserved`);
  for (const [key, value] of Object.entries(before)) {
    if (!(key in after)) refuse(`${who} removed "${key}"`);
    const next = after[key];
    if (isObject(value) && isObject(next)) assertAdditive(value, next, `${who}.${key}`);
    else if (!deepEqual(value, next)) refuse(`${who} changed "${key}"`);
  }
}

function mergeDeep(base: Record<string, unknown>, add: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(add)) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? mergeDeep(current, value) : value;
  }
  return out;
}

function sameLength(baseline: unknown[], current: unknown[], who: string): void {
  if (baseline.length !== current.length) refuse(`${who} added or removed accepts[] entries`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function refuse(message: string): never {
  throw new X402Error("invalid_payment_requirements", message);
}
