import * as v from "valibot";
import { X402Error } from "../errors.js";
import {
  FacilitatorRequestSchema,
  PaymentPayloadSchema,
  PaymentPayloadV1Schema,
  PaymentRequirementsSchema,
  PaymentRequirementsV1Schema,
} from "../protocol/schemas.js";
import { issueToError } from "../protocol/validate.js";
import type {
  FacilitatorExtensionRoute,
  FacilitatorHttpRequest,
  FacilitatorHttpResponse,
} from "../schemes/facilitator.js";
import type { AnyPaymentPayload, AnyPaymentRequirements, x402Facilitator } from "./x402Facilitator.js";

export type { FacilitatorHttpRequest, FacilitatorHttpResponse } from "../schemes/facilitator.js";

/** The endpoints every facilitator serves, and the methods each answers. */
export const FACILITATOR_ENDPOINTS: Readonly<Record<string, readonly string[]>> = {
  "/verify": ["POST"],
  "/settle": ["POST"],
  "/supported": ["GET"],
};

/**
 * Serve the facilitator HTTP API (`POST /verify`, `POST /settle`, `GET /supported`, and
 * every route a registered extension adds) over any transport. Malformed bodies get 400
 * with a reason; an invalid payment is a 200 whose body says why, as the protocol wants.
 * `/verify` and `/settle` take x402 v2 and v1 bodies (v1 goes to `registerV1` schemes).
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
  const method = request.method.toUpperCase();
  const path = request.path.replace(/\/+$/, "") || "/";
  const route = `${method} ${path}`;
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
  }
  const extension = findExtensionRoute(facilitator, method, path);
  if (extension) return extension.handle({ ...request, method, path });
  return { status: 404, body: { error: "not_found", message: `${route} is not a facilitator endpoint` } };
}

/**
 * The extension route for a method and path (`HEAD` finds a `GET` route), if any.
 *
 * @example
 * ```ts
 * findExtensionRoute(facilitator, "GET", "/discovery/resources")?.handle(request);
 * ```
 */
export function findExtensionRoute(
  facilitator: x402Facilitator,
  method: string,
  path: string,
): FacilitatorExtensionRoute | undefined {
  const wanted = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  return facilitator
    .getExtensionRoutes()
    .find((route) => route.path === path && route.method.toUpperCase() === wanted);
}

function parseRequest(
  body: unknown,
): X402Error | { paymentPayload: AnyPaymentPayload; paymentRequirements: AnyPaymentRequirements } {
  if (typeof body !== "object" || body === null)
    return new X402Error("invalid_payload", "body must be a JSON object");
  const envelope = v.safeParse(FacilitatorRequestSchema, body);
  if (!envelope.success) return issueToError(envelope.issues[0], "invalid_payload");
  const version = envelope.output.paymentPayload.x402Version;
  if (envelope.output.x402Version !== version)
    return new X402Error("invalid_x402_version", "x402Version differs from paymentPayload.x402Version");
  const [payloadSchema, requirementsSchema] =
    version === 1
      ? [PaymentPayloadV1Schema, PaymentRequirementsV1Schema]
      : [PaymentPayloadSchema, PaymentRequirementsSchema];
  const payload = v.safeParse(payloadSchema, envelope.output.paymentPayload);
  if (!payload.success) return issueToError(payload.issues[0], "invalid_payload", 400, "paymentPayload");
  const requirements = v.safeParse(requirementsSchema, envelope.output.paymentRequirements);
  if (!requirements.success)
    return issueToError(requirements.issues[0], "invalid_payment_requirements", 400, "paymentRequirements");
  return {
    paymentPayload: payload.output as AnyPaymentPayload,
    paymentRequirements: requirements.output as AnyPaymentRequirements,
  };
}
