import { isX402Error } from "../errors.js";
import { encodeHeaderJson, PAYMENT_RESPONSE_HEADER } from "../http/headers.js";
import { failedSettlement } from "../protocol/results.js";
import type { PaymentPayload, PaymentRequirements, SettleResponse } from "../protocol/types.js";
import { type HttpResponseInstructions, settlementFailedResponse } from "./responses.js";
import type { SettlementOverrides } from "./settlementOverrides.js";
import type { VerifiedPayment } from "./verifiedPayment.js";
import type { x402ResourceServer } from "./x402ResourceServer.js";

/** A successful settlement with the header to add (official `ProcessSettleSuccessResponse`). */
export type ProcessSettleSuccessResponse = SettleResponse & {
  success: true;
  headers: Record<string, string>;
  requirements: PaymentRequirements;
};

/** A failed settlement with the ready 402 (official `ProcessSettleFailureResponse`). */
export type ProcessSettleFailureResponse = SettleResponse & {
  success: false;
  errorReason: string;
  headers: Record<string, string>;
  response: HttpResponseInstructions;
};

/** What `processSettlement` answers. */
export type ProcessSettleResultResponse = ProcessSettleSuccessResponse | ProcessSettleFailureResponse;

/**
 * Settle (through the verified payment when there is one, so its guard is released) and
 * describe the outcome in the official shape. A refused charge becomes a failure, not a throw.
 */
export async function settleAndDescribe(
  server: x402ResourceServer,
  payment: VerifiedPayment | undefined,
  call: {
    paymentPayload: PaymentPayload;
    requirements: PaymentRequirements;
    declaredExtensions?: Record<string, unknown>;
    transportContext?: unknown;
    settlementOverrides?: SettlementOverrides;
  },
): Promise<ProcessSettleResultResponse> {
  let result: SettleResponse;
  let response: HttpResponseInstructions | undefined;
  try {
    if (payment) {
      const outcome = await payment.settle(call.settlementOverrides);
      result = outcome.settleResponse;
      if (outcome.type === "failed") response = outcome.response;
    } else
      result = await server.settlePayment(
        call.paymentPayload,
        call.requirements,
        call.declaredExtensions,
        call.transportContext,
        call.settlementOverrides,
      );
  } catch (error) {
    if (!isX402Error(error)) throw error;
    result = failedSettlement(call.requirements.network, error.code, error.message);
  }
  const headers = { [PAYMENT_RESPONSE_HEADER]: encodeHeaderJson(result) };
  if (result.success) return { ...result, success: true, headers, requirements: call.requirements };
  return {
    ...result,
    success: false,
    errorReason: result.errorReason ?? "settlement_failed",
    headers,
    response: response ?? settlementFailedResponse(result, undefined),
  };
}
