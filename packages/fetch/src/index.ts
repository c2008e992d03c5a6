import type { SettleResponse } from "@x402kit/core";
import {
  type PayForResponseOptions,
  payForResponse,
  readSettleResponse,
  type TransportResponse,
  x402Client,
  type x402ClientConfig,
  type x402HTTPClient,
} from "@x402kit/core/client";

export type {
  Network,
  PaymentPayload,
  PaymentRequired,
  PaymentRequirements,
  SchemeNetworkClient,
} from "@x402kit/core";
export {
  type PaymentPolicy,
  type SchemeRegistration,
  type SelectPaymentRequirements,
  x402Client,
  type x402ClientConfig,
  x402HTTPClient,
} from "@x402kit/core/client";
export { decodePaymentResponseHeader } from "@x402kit/core/http";

/**
 * Options of {@link wrapFetchWithPayment}: `maxPaymentRetries` (corrective 402s paid again per
 * request, default 1), `settlementPendingRetries` / `settlementPendingDelayMs` (the same payment
 * re-sent while the server answers `settlement_pending`, default 2 × 1 s).
 */
export type WrapFetchOptions = Pick<
  PayForResponseOptions<Response>,
  "maxPaymentRetries" | "settlementPendingRetries" | "settlementPendingDelayMs"
>;

/**
 * Wrap `fetch` so that a `402 Payment Required` answer is paid and the request retried with
 * the payment (body included). Other answers, and the paid retry's answer, are returned as
 * they are; a corrective 402 the paying scheme can satisfy is paid once more (core's
 * `payForResponse` has the rules). Throws an `X402Error` when nothing acceptable can be paid
 * (`no_matching_requirements`, `spending_limit_exceeded`, …) or when the request already
 * carried a payment (`payment_already_attempted`).
 *
 * @example
 * ```ts
 * const client = new x402Client().register("eip155:*", new ExactEvmScheme(privateKeyToAccount(key)));
 * const fetchWithPayment = wrapFetchWithPayment(fetch, client);
 * const response = await fetchWithPayment("https://api.example.com/weather");
 * console.log(getPaymentReceipt(response)?.transaction);
 * ```
 */
export function wrapFetchWithPayment(
  fetchFn: typeof fetch,
  client: x402Client | x402HTTPClient,
  options: WrapFetchOptions = {},
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const request = new Request(input, init);
    // Each send starts from a fresh copy, so the body can be sent again.
    const send = async (headers: Record<string, string>): Promise<TransportResponse<Response>> => {
      const copy = request.clone();
      for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
      const response = await fetchFn(copy);
      return {
        status: response.status,
        getHeader: (name) => response.headers.get(name),
        readJson: () => response.json(),
        discard: () => response.body?.cancel(),
        response,
      };
    };
    return payForResponse(client, send, {
      requestUrl: request.url,
      requestHeaders: (name) => request.headers.get(name),
      ...options,
    });
  };
}

/**
 * {@link wrapFetchWithPayment} with a client built from one configuration object.
 *
 * @example
 * ```ts
 * const fetchWithPayment = wrapFetchWithPaymentFromConfig(fetch, {
 *   schemes: [{ network: "eip155:*", client: new ExactEvmScheme(account) }],
 * });
 * ```
 */
export function wrapFetchWithPaymentFromConfig(
  fetchFn: typeof fetch,
  config: x402ClientConfig,
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  return wrapFetchWithPayment(fetchFn, x402Client.fromConfig(config));
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
