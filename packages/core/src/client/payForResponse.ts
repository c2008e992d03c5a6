import { X402Error } from "../errors.js";
import { PAYMENT_REQUIRED_HEADER } from "../http/headers.js";
import type { AnyPaymentRequired } from "./selection.js";
import type { x402Client } from "./x402Client.js";
import { type HeaderReader, readSettleResponse, x402HTTPClient } from "./x402HTTPClient.js";

/** One answer, as a transport adapter describes it to {@link payForResponse}. */
export interface TransportResponse<R> {
  status: number;
  getHeader: HeaderReader;
  /** The body as JSON; read only for a 402 without `PAYMENT-REQUIRED` (a v1 server). */
  readJson(): Promise<unknown>;
  /** Let go of a body nobody will read (an answer the loop replaces); optional. */
  discard?(): unknown;
  /** The transport's own response object, handed back to the caller. */
  response: R;
}

/** Sends the caller's request again, with `headers` added (empty on the first send). */
export type SendRequest<R> = (headers: Record<string, string>) => Promise<TransportResponse<R>>;

/** Options of {@link payForResponse}. */
export interface PayForResponseOptions<R> {
  /** The request URL, for `onPaymentRequired` hooks. */
  requestUrl?: string;
  /** The caller's own request headers: a request that already carries a payment is never paid again. */
  requestHeaders?: HeaderReader;
  /** An answer already received (an axios interceptor): the loop starts from it instead of sending. */
  firstResponse?: TransportResponse<R>;
  /** Overrides the HTTP client's `maxPaymentRetries` (corrective 402s paid again). */
  maxPaymentRetries?: number;
  /**
   * How often the same payment is sent again when the server answers `settlement_pending`
   * (broadcast, not yet confirmed). Default 2. Re-sending the very same signature lets the
   * server finish that settlement; signing anew would pay twice.
   */
  settlementPendingRetries?: number;
  /** Wait before each such re-send, in ms. Default 1000. */
  settlementPendingDelayMs?: number;
}

/**
 * The paying client's whole HTTP loop, for any transport:
 *
 * 1. send the request; anything but a 402 is returned as it is;
 * 2. read the requirements (`PAYMENT-REQUIRED` header, else a v1 JSON body); a request that
 *    already carried a payment throws `payment_already_attempted` instead of paying again;
 * 3. `onPaymentRequired` hooks may supply headers to try first (e.g. sign-in); if that answer
 *    is not a 402 it is returned and nothing is paid;
 * 4. sign (selection, spend controls, hooks) and re-send with `PAYMENT-SIGNATURE` (v2) or
 *    `X-PAYMENT` (v1); an answer `settlement_pending` gets the same payment again (bounded);
 * 5. hand the answer's `PAYMENT-RESPONSE` / `PAYMENT-REQUIRED` to the paying scheme and the
 *    payment-response hooks;
 * 6. if that answer is a 402 for the same resource and the scheme (or a hook) said it can
 *    correct it, sign again against that 402 — at most `maxPaymentRetries` times (default 1).
 *    A plain rejection, a success, or an exhausted budget returns the answer as it is.
 *
 * Every signed payment, a corrective one included, counts toward the spend totals: a refused
 * authorization stays valid until it expires, so it is never given back.
 *
 * @example
 * ```ts
 * const response = await payForResponse(client, async (headers) => {
 *   const res = await fetch(url, { headers: { ...baseHeaders, ...headers } });
 *   return { status: res.status, getHeader: (n) => res.headers.get(n), readJson: () => res.json(), response: res };
 * });
 * ```
 */
export async function payForResponse<R>(
  client: x402Client | x402HTTPClient,
  send: SendRequest<R>,
  options: PayForResponseOptions<R> = {},
): Promise<R> {
  const http = client instanceof x402HTTPClient ? client : new x402HTTPClient(client);
  const first = options.firstResponse ?? (await send({}));
  if (first.status !== 402) return first.response;

  const paymentRequired = await readPaymentRequired(http, first);
  if (options.requestHeaders && x402HTTPClient.hasPaymentHeader(options.requestHeaders))
    throw new X402Error(
      "payment_already_attempted",
      "the request already carried a payment and got 402 again",
      {
        details: { reason: paymentRequired.error },
      },
    );

  const hookHeaders = await http.handlePaymentRequired(paymentRequired, options.requestUrl ?? "");
  if (hookHeaders) {
    const answer = await send(hookHeaders);
    if (answer.status !== 402) return answer.response;
    await answer.discard?.();
  }

  const maxRetries = Math.max(0, options.maxPaymentRetries ?? http.maxPaymentRetries);
  let current = paymentRequired;
  for (let attempt = 0; ; attempt++) {
    const payload = await http.createPaymentPayload(current);
    const answer = await sendUntilSettled(send, http.encodePaymentSignatureHeader(payload), options);
    const result = await http.processPaymentResult(payload, answer.getHeader, answer.status);
    const corrective = result.recovered ? result.paymentRequired : undefined;
    if (!corrective || attempt >= maxRetries || !sameResource(paymentRequired, corrective))
      return answer.response;
    await answer.discard?.();
    current = corrective;
  }
}

/**
 * Send a payment; while the answer is a 402 whose receipt says `settlement_pending`, wait and
 * send the same payment again (bounded), so the server can finish the one settlement.
 */
async function sendUntilSettled<R>(
  send: SendRequest<R>,
  paymentHeaders: Record<string, string>,
  options: PayForResponseOptions<R>,
): Promise<TransportResponse<R>> {
  const retries = Math.max(0, options.settlementPendingRetries ?? 2);
  const delayMs = Math.max(0, options.settlementPendingDelayMs ?? 1000);
  let answer = await send(paymentHeaders);
  for (let attempt = 0; attempt < retries && isSettlementPending(answer); attempt++) {
    await answer.discard?.();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    answer = await send(paymentHeaders);
  }
  return answer;
}

function isSettlementPending<R>(answer: TransportResponse<R>): boolean {
  if (answer.status !== 402) return false;
  try {
    return readSettleResponse(answer.getHeader)?.errorReason === "settlement_pending";
  } catch {
    return false;
  }
}

async function readPaymentRequired<R>(
  http: x402HTTPClient,
  answer: TransportResponse<R>,
): Promise<AnyPaymentRequired> {
  // The requirements are in the header; the body is read only for a v1 server, else let go.
  if (answer.getHeader(PAYMENT_REQUIRED_HEADER)) {
    await answer.discard?.();
    return http.getPaymentRequiredResponse(answer.getHeader);
  }
  const body = await answer.readJson().catch(() => undefined);
  return http.getPaymentRequiredResponse(answer.getHeader, body);
}

/** A corrective 402 must be about the resource first asked for; anything else is not followed. */
function sameResource(original: AnyPaymentRequired, corrective: AnyPaymentRequired): boolean {
  return (
    original.x402Version === 2 &&
    corrective.x402Version === 2 &&
    original.resource.url === corrective.resource.url
  );
}
