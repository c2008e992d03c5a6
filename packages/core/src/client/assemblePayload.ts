import { describeError, X402Error } from "../errors.js";
import type {
  PaymentPayload,
  PaymentPayloadV1,
  PaymentRequired,
  PaymentRequirements,
} from "../protocol/types.js";
import type { PaymentPayloadResult } from "../schemes/client.js";
import { mergeExtensions } from "./selection.js";

/** A v2 payload: what the scheme signed, the requirement it accepted, the resource, the extensions. */
export function assembleV2(
  result: PaymentPayloadResult,
  paymentRequired: PaymentRequired,
  requirements: PaymentRequirements,
): PaymentPayload {
  const extensions = mergeExtensions(paymentRequired.extensions, result.extensions);
  return {
    x402Version: 2,
    resource: paymentRequired.resource,
    accepted: requirements,
    payload: result.payload,
    ...(extensions && Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
}

/** A v1 payload: the scheme's own v1 fields. */
export function assembleV1(
  result: PaymentPayloadResult,
  requirements: PaymentRequirements,
): PaymentPayloadV1 {
  return {
    x402Version: 1,
    scheme: result.scheme ?? requirements.scheme,
    network: result.network ?? requirements.network,
    payload: result.payload,
  };
}

/** Signing failures as `payment_creation_failed` (typed errors pass through). */
export function wrapSigningError(error: unknown): X402Error {
  if (error instanceof X402Error) return error;
  return new X402Error("payment_creation_failed", `could not sign the payment: ${describeError(error)}`, {
    cause: error,
  });
}
