import type { SettleResponse } from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import { readSettleResponse, type x402Client, x402HTTPClient } from "@x402kit/core/client";

export { x402Client, x402HTTPClient } from "@x402kit/core/client";
export { decodePaymentResponseHeader } from "@x402kit/core/http";

/**
 * Wrap `fetch` so that a `402 Payment Required` answer is paid once and the request
 * retried with the payment. Any other answer, and the paid retry's answer, are returned as
 * they are. Throws an `X402Error` when no acceptable requirement can be paid
 * (`no_matching_requirements`, `spending_limit_exceeded`, …) or when the request already
 * carried a payment (`payment_already_attempted`).
 *
 * @example
 * ```ts
 * const client = new x402Client({ limits: { maxPerPayment: "$0.05" } })
 *   .register("eip155:*", new ExactEvmClient(privateKeyToAccount(key)));
 * const fetchWithPayment = wrapFetchWithPayment(fetch, client);
 * const response = await fetchWithPayment("https://api.example.com/weather");
 * console.log(getPaymentReceipt(response)?.transaction);
 * ```
 */
export function wrapFetchWithPayment(
  fetchFn: typeof fetch,
  client: x402Client | x402HTTPClient,
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const http = client instanceof x402HTTPClient ? client : new x402HTTPClient(client);
  return async (input, init) => {
    const request = new Request(input, init);
    // Keep the original (and its body) for the paid retry.
    const response = await fetchFn(request.clone());
    if (response.status !== 402) return response;

    const getHeader = (name: string) => response.headers.get(name);
    // The requirements are in the header; the body is read only for a v1 server, else let go.
    const body = response.headers.has("payment-required")
      ? await response.body?.cancel()
      : await response.json().catch(() => undefined);
    const paymentRequired = http.getPaymentRequired(getHeader, body);
    if (x402HTTPClient.hasPaymentHeader((name) => request.headers.get(name)))
      throw new X402Error(
        "payment_already_attempted",
        "the request already carried a payment and got 402 again",
        {
          details: { reason: paymentRequired.error },
        },
      );
    const paymentHeaders = await http.createPaymentHeaders(paymentRequired);
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(paymentHeaders)) headers.set(name, value);
    return fetchFn(new Request(request, { headers }));
  };
}

/**
 * The settlement receipt (`PAYMENT-RESPONSE`) of a paid response, or `undefined`.
 *
 * @example
 * ```ts
 * const receipt = getPaymentReceipt(await fetchWithPayment(url));
 * if (receipt?.success) console.log("paid in", receipt.transaction);
 * ```
 */
export function getPaymentReceipt(response: Response): SettleResponse | undefined {
  return readSettleResponse((name) => response.headers.get(name));
}
