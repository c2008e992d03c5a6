import { SETTLEMENT_OVERRIDES_HEADER, settleWebResponse, type VerifiedPayment } from "@x402kit/core/server";
import type { Context, Next } from "hono";
import { editHeaders, replaceResponse, toResponse } from "./responses.js";

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
  const settled = await settleWebResponse(payment, answer);
  replaceResponse(
    c,
    settled.type === "deliver" ? settled.response : toResponse(settled.response, appHeaders),
  );
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

/** `Settlement-Overrides` is for the middleware only: it never reaches the client. */
function stripOverrides(c: Context): void {
  if (c.res.headers.has(SETTLEMENT_OVERRIDES_HEADER))
    editHeaders(c, (headers) => headers.delete(SETTLEMENT_OVERRIDES_HEADER));
}
