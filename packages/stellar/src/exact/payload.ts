/**
 * The `exact` Stellar payload: a base64 XDR `TransactionEnvelope` (v1) holding one
 * `invokeHostFunction` operation with the payer's signed authorization entry.
 *
 * @example
 * ```ts
 * const payload: ExactStellarPayloadV2 = { transaction: "AAAAAgAAAA…" };
 * ```
 */
export type ExactStellarPayloadV2 = { transaction: string };

/**
 * True when `value` is an {@link ExactStellarPayloadV2}.
 *
 * @example
 * ```ts
 * isExactStellarPayload(paymentPayload.payload); // true for a Stellar payment
 * ```
 */
export function isExactStellarPayload(value: unknown): value is ExactStellarPayloadV2 {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { transaction?: unknown }).transaction === "string"
  );
}
