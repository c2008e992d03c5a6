import type * as v from "valibot";
import type * as s from "./schemas.js";

/** CAIP-2 network id, e.g. `eip155:8453`. */
export type Network = `${string}:${string}`;
/** A network or a registration pattern such as `eip155:*`. */
export type NetworkPattern = Network | `${string}:*`;

/** One `accepts[]` entry: what the server will take for a resource. */
export type PaymentRequirements = v.InferOutput<typeof s.PaymentRequirementsSchema>;
/** Describes what is being sold. */
export type ResourceInfo = v.InferOutput<typeof s.ResourceInfoSchema>;
/** The body of a `PAYMENT-REQUIRED` header (x402 v2). */
export type PaymentRequired = v.InferOutput<typeof s.PaymentRequiredSchema>;
/** The body of a `PAYMENT-SIGNATURE` header (x402 v2). */
export type PaymentPayload = v.InferOutput<typeof s.PaymentPayloadSchema>;
/** v1 requirement, as a v1 server sends it in the 402 body. */
export type PaymentRequirementsV1 = v.InferOutput<typeof s.PaymentRequirementsV1Schema>;
/** v1 402 body. */
export type PaymentRequiredV1 = v.InferOutput<typeof s.PaymentRequiredV1Schema>;
/** v1 `X-PAYMENT` payload. */
export type PaymentPayloadV1 = v.InferOutput<typeof s.PaymentPayloadV1Schema>;
/** Facilitator answer to `/verify`. */
export type VerifyResponse = v.InferOutput<typeof s.VerifyResponseSchema>;
/** Facilitator answer to `/settle`, also the body of `PAYMENT-RESPONSE`. */
export type SettleResponse = v.InferOutput<typeof s.SettleResponseSchema>;
/** One entry of `/supported` `kinds`. */
export type SupportedKind = v.InferOutput<typeof s.SupportedKindSchema>;
/** Facilitator answer to `/supported`. */
export type SupportedResponse = v.InferOutput<typeof s.SupportedResponseSchema>;

/** A price in USD: `"$0.01"`, `"0.01"` or `0.01`. */
export type Money = string | number;
/** A price in a token's atomic units. */
export interface AssetAmount {
  amount: string;
  asset: string;
  extra?: Record<string, unknown>;
}
/** What a route charges. */
export type Price = Money | AssetAmount;

/** Body of `POST /verify` and `POST /settle`. */
export interface FacilitatorRequest {
  x402Version: number;
  paymentPayload: PaymentPayload;
  paymentRequirements: PaymentRequirements;
}

/** The x402 protocol version this package emits. */
export const X402_VERSION = 2;
