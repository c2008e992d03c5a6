import { type HttpResponseInstructions, settleWebResponse, type VerifiedPayment } from "@x402kit/core/server";
import { NextResponse } from "next/server";

/** The pipeline's answer (402, 403, 431, 503 …) as a `NextResponse`. */
export function toNextResponse(response: HttpResponseInstructions): NextResponse {
  return new NextResponse(response.body, { status: response.status, headers: response.headers });
}

// Headers describing the bytes as they came over the wire; the held body is already decoded.
const WIRE_HEADERS = ["content-length", "content-encoding", "transfer-encoding", "connection"];

/**
 * Settle an after-handler payment for the handler's `response`: the body is read to the end
 * first (held: no byte leaves before settlement), then the answer is the handler's with the
 * receipt, the handler's unchanged when it failed (nothing charged), or the 402 failure.
 */
export async function settleForResponse(payment: VerifiedPayment, response: Response): Promise<NextResponse> {
  const settled = await settleWebResponse(payment, response, WIRE_HEADERS);
  if (settled.type === "failed") return toNextResponse(settled.response);
  return new NextResponse(settled.response.body, settled.response);
}

/** `response` with `extra` headers (a copy when its headers are immutable, as a fetched response's are). */
export function withHeaders<T extends Response>(response: T, extra: Record<string, string>): T {
  try {
    for (const [name, value] of Object.entries(extra)) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new NextResponse(response.body, response);
    for (const [name, value] of Object.entries(extra)) copy.headers.set(name, value);
    return copy as unknown as T;
  }
}
