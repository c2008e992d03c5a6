import { SETTLEMENT_OVERRIDES_HEADER, type VerifiedPayment } from "@x402kit/core/server";
import type { Context, Next } from "hono";
import { editHeaders, replaceResponse, toResponse } from "./responses.js";

// Statuses whose responses carry no body (a body would make `new Response` throw).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * `after-handler` routes: run the handler, hold its whole answer — a streamed body is read to
 * its end, so no byte can leave before settlement and a stream that breaks is a failed
 * handler — then settle and deliver it with `PAYMENT-RESPONSE`. A handler that answers ≥ 400
 * or throws is passed through and nothing is charged; a failed settlement replaces the answer
 * with the pipeline's 402 (the handler's headers dropped, the app's kept).
 */
export async function settleAfterHandler(c: Context, next: Next, payment: VerifiedPayment): Promise<void> {
  // Headers set before the handler (CORS by earlier middleware, say) belong to the app.
  const appHeaders = new Headers(c.res.headers);
  await next();
  const answer = c.res;
  if (c.error !== undefined || answer.status >= 400) {
    payment.release();
    return stripOverrides(c);
  }
  let body: Uint8Array<ArrayBuffer> | null;
  try {
    // Bytes, not an ArrayBuffer: runtimes (and @hono/node-server) send a byte body directly.
    body = NULL_BODY_STATUSES.has(answer.status) ? null : new Uint8Array(await answer.arrayBuffer());
  } catch (error) {
    // The handler's stream broke: its answer is incomplete, so nothing is charged.
    payment.release();
    throw error;
  }
  const completion = await payment.afterHandler({
    status: answer.status,
    getHeader: (name) => answer.headers.get(name) ?? undefined,
  });
  if (completion.type === "failed") return replaceResponse(c, toResponse(completion.response, appHeaders));
  const headers = ownHeaders(answer);
  headers.delete(SETTLEMENT_OVERRIDES_HEADER);
  if (completion.type === "settled")
    for (const name in completion.headers) headers.set(name, completion.headers[name] as string);
  replaceResponse(c, new Response(body, { status: answer.status, statusText: answer.statusText, headers }));
}

/**
 * `before-handler` routes: the payment is settled already; the handler's answer (streamed or
 * not) goes out untouched, with the receipt in its head.
 */
export async function deliverSettled(c: Context, next: Next, payment: VerifiedPayment): Promise<void> {
  await next();
  const receipt = payment.settledHeaders ?? {};
  editHeaders(c, (headers) => {
    headers.delete(SETTLEMENT_OVERRIDES_HEADER);
    for (const name in receipt) headers.set(name, receipt[name] as string);
  });
}

/** The answer's headers to reuse in the delivered response: its own when mutable (no copy), else a copy. */
function ownHeaders(answer: Response): Headers {
  try {
    answer.headers.delete(SETTLEMENT_OVERRIDES_HEADER);
    return answer.headers;
  } catch {
    return new Headers(answer.headers); // a fetch() response's headers are immutable
  }
}

/** `Settlement-Overrides` is for the middleware only: it never reaches the client. */
function stripOverrides(c: Context): void {
  if (c.res.headers.has(SETTLEMENT_OVERRIDES_HEADER))
    editHeaders(c, (headers) => headers.delete(SETTLEMENT_OVERRIDES_HEADER));
}
