import * as v from "valibot";
import { X402Error } from "../errors.js";
import {
  FacilitatorRequestSchema,
  PaymentPayloadSchema,
  PaymentRequirementsSchema,
} from "../protocol/schemas.js";
import { issueToError } from "../protocol/validate.js";
import type { x402Facilitator } from "./x402Facilitator.js";

/** A framework-free HTTP request to a facilitator service. */
export interface FacilitatorHttpRequest {
  method: string;
  /** Path relative to the service root, e.g. `/verify`. */
  path: string;
  /** Parsed JSON body (`undefined` when absent or not JSON). */
  body?: unknown;
}

/** The answer: a status and a JSON body. */
export interface FacilitatorHttpResponse {
  status: number;
  body: unknown;
}

/**
 * Serve the facilitator HTTP API (`POST /verify`, `POST /settle`, `GET /supported`) over
 * any transport. Malformed bodies get 400 with a reason; an invalid payment is a 200 whose
 * body says why, as the protocol wants.
 *
 * @example
 * ```ts
 * const { status, body } = await handleFacilitatorRequest(facilitator, { method: "POST", path: "/verify", body: json });
 * ```
 */
export async function handleFacilitatorRequest(
  facilitator: x402Facilitator,
  request: FacilitatorHttpRequest,
): Promise<FacilitatorHttpResponse> {
  const route = `${request.method.toUpperCase()} ${request.path.replace(/\/+$/, "") || "/"}`;
  switch (route) {
    case "GET /supported":
      return { status: 200, body: facilitator.getSupported() };
    case "POST /verify":
    case "POST /settle": {
      const parsed = parseRequest(request.body);
      if (parsed instanceof X402Error)
        return { status: 400, body: { error: parsed.code, message: parsed.message } };
      const { paymentPayload, paymentRequirements } = parsed;
      const body =
        route === "POST /verify"
          ? await facilitator.verify(paymentPayload, paymentRequirements)
          : await facilitator.settle(paymentPayload, paymentRequirements);
      return { status: 200, body };
    }
    default:
      return { status: 404, body: { error: "not_found", message: `${route} is not a facilitator endpoint` } };
  }
}

function parseRequest(body: unknown) {
  if (typeof body !== "object" || body === null)
    return new X402Error("invalid_payload", "body must be a JSON object");
  const envelope = v.safeParse(FacilitatorRequestSchema, body);
  if (!envelope.success) return issueToError(envelope.issues[0], "invalid_payload");
  if (envelope.output.x402Version !== 2 || envelope.output.paymentPayload.x402Version !== 2)
    return new X402Error("invalid_x402_version", "only x402Version 2 is served");
  const payload = v.safeParse(PaymentPayloadSchema, envelope.output.paymentPayload);
  if (!payload.success) return issueToError(payload.issues[0], "invalid_payload", 400, "paymentPayload");
  const requirements = v.safeParse(PaymentRequirementsSchema, envelope.output.paymentRequirements);
  if (!requirements.success)
    return issueToError(requirements.issues[0], "invalid_payment_requirements", 400, "paymentRequirements");
  return { paymentPayload: payload.output, paymentRequirements: requirements.output };
}
