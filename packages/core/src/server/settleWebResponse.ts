import type { HttpResponseInstructions } from "./responses.js";
import { SETTLEMENT_OVERRIDES_HEADER } from "./settlementOverrides.js";
import type { VerifiedPayment } from "./verifiedPayment.js";

// Statuses whose responses carry no body (a body would make `new Response` throw).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** What to send for a held Web `Response`: the handler's answer with its receipt, or the failure. */
export type SettledWebResponse =
  | { type: "deliver"; response: Response }
  | { type: "failed"; response: HttpResponseInstructions };

/**
 * The after-handler step for runtimes whose handlers answer a Web `Response` (hono, Next.js,
 * workers): read the whole body first (held: no byte leaves before settlement; a stream that
 * breaks is a failed handler, nothing charged), settle — or release for an answer ≥ 400 —
 * then deliver the answer with `PAYMENT-RESPONSE` and without `Settlement-Overrides`, or the
 * pipeline's 402 failure. `dropHeaders` names headers of the original that no longer describe
 * the held bytes (e.g. `content-encoding` of a proxied answer).
 *
 * @example
 * ```ts
 * const settled = await settleWebResponse(payment, await handler(request));
 * return settled.type === "deliver" ? settled.response : toResponse(settled.response);
 * ```
 */
export async function settleWebResponse(
  payment: VerifiedPayment,
  answer: Response,
  dropHeaders: readonly string[] = [],
): Promise<SettledWebResponse> {
  let body: Uint8Array<ArrayBuffer> | null;
  try {
    // Bytes, not an ArrayBuffer: runtimes (and @hono/node-server) send a byte body directly.
    body = NULL_BODY_STATUSES.has(answer.status) ? null : new Uint8Array(await answer.arrayBuffer());
  } catch (error) {
    payment.release();
    throw error;
  }
  const completion = await payment.afterHandler({
    status: answer.status,
    getHeader: (name) => answer.headers.get(name) ?? undefined,
  });
  if (completion.type === "failed") return completion;
  const headers = ownHeaders(answer);
  headers.delete(SETTLEMENT_OVERRIDES_HEADER);
  for (const name of dropHeaders) headers.delete(name);
  if (completion.type === "settled")
    for (const name in completion.headers) headers.set(name, completion.headers[name] as string);
  const response = new Response(body, { status: answer.status, statusText: answer.statusText, headers });
  return { type: "deliver", response };
}

/** The answer's own headers when mutable (no copy), else a copy (a fetch() answer's are immutable). */
function ownHeaders(answer: Response): Headers {
  try {
    answer.headers.delete(SETTLEMENT_OVERRIDES_HEADER);
    return answer.headers;
  } catch {
    return new Headers(answer.headers);
  }
}
