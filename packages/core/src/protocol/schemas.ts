import * as v from "valibot";

/**
 * Runtime schemas for everything that arrives from outside. Objects are loose: unknown
 * fields are kept (they are echoed back), and `null` is accepted where a field is optional
 * because other SDKs emit it.
 */

const nonEmpty = v.pipe(v.string(), v.minLength(1));
/** Atomic token amount: base-10 digits only. */
export const AtomicAmountSchema = v.pipe(
  v.string(),
  v.regex(/^\d{1,78}$/, "amount must be atomic base-10 digits"),
);
/** CAIP-2 network id such as `eip155:8453`. */
export const NetworkSchema = v.pipe(
  v.string(),
  v.regex(/^[-a-z0-9]{3,8}:[-_a-zA-Z0-9+/=]{1,64}$/, "network must be a CAIP-2 id"),
);
const record = v.record(v.string(), v.unknown());
const optionalRecord = v.nullish(record);

export const ResourceInfoSchema = v.looseObject({
  url: nonEmpty,
  description: v.nullish(v.string()),
  mimeType: v.nullish(v.string()),
});

export const PaymentRequirementsSchema = v.looseObject({
  scheme: nonEmpty,
  network: NetworkSchema,
  amount: AtomicAmountSchema,
  asset: nonEmpty,
  payTo: nonEmpty,
  maxTimeoutSeconds: v.pipe(v.number(), v.integer(), v.minValue(1)),
  extra: optionalRecord,
});

export const PaymentRequiredSchema = v.looseObject({
  x402Version: v.literal(2),
  error: v.nullish(v.string()),
  resource: ResourceInfoSchema,
  accepts: v.array(PaymentRequirementsSchema),
  extensions: optionalRecord,
});

export const PaymentPayloadSchema = v.looseObject({
  x402Version: v.literal(2),
  resource: v.nullish(ResourceInfoSchema),
  accepted: PaymentRequirementsSchema,
  payload: record,
  extensions: optionalRecord,
});

/** v1 requirement (read-only support: v1 servers put it in the 402 body). */
export const PaymentRequirementsV1Schema = v.looseObject({
  scheme: nonEmpty,
  network: nonEmpty,
  maxAmountRequired: AtomicAmountSchema,
  resource: v.string(),
  description: v.nullish(v.string()),
  mimeType: v.nullish(v.string()),
  payTo: nonEmpty,
  maxTimeoutSeconds: v.pipe(v.number(), v.integer(), v.minValue(1)),
  asset: nonEmpty,
  extra: optionalRecord,
});

export const PaymentRequiredV1Schema = v.looseObject({
  x402Version: v.literal(1),
  error: v.nullish(v.string()),
  accepts: v.array(PaymentRequirementsV1Schema),
});

/** v1 payload as carried by `X-PAYMENT`. */
export const PaymentPayloadV1Schema = v.looseObject({
  x402Version: v.literal(1),
  scheme: nonEmpty,
  network: nonEmpty,
  payload: record,
});

export const VerifyResponseSchema = v.looseObject({
  isValid: v.boolean(),
  invalidReason: v.nullish(v.string()),
  invalidMessage: v.nullish(v.string()),
  payer: v.nullish(v.string()),
  extensions: optionalRecord,
  extra: optionalRecord,
});

export const SettleResponseSchema = v.looseObject({
  success: v.boolean(),
  errorReason: v.nullish(v.string()),
  errorMessage: v.nullish(v.string()),
  payer: v.nullish(v.string()),
  transaction: v.string(),
  network: v.string(),
  amount: v.nullish(v.string()),
  extensions: optionalRecord,
  extra: optionalRecord,
});

export const SupportedKindSchema = v.looseObject({
  x402Version: v.number(),
  scheme: nonEmpty,
  network: nonEmpty,
  extra: optionalRecord,
});

export const SupportedResponseSchema = v.looseObject({
  kinds: v.array(SupportedKindSchema),
  extensions: v.optional(v.array(v.string()), []),
  signers: v.optional(v.record(v.string(), v.array(v.string())), {}),
});

/** Body of `POST /verify` and `POST /settle`. */
export const FacilitatorRequestSchema = v.looseObject({
  x402Version: v.union([v.literal(1), v.literal(2)]),
  paymentPayload: v.looseObject({ x402Version: v.number(), payload: record }),
  paymentRequirements: v.looseObject({ scheme: nonEmpty, network: nonEmpty }),
});
