import type { SettleResponse } from "@x402kit/core";
import {
  payForResponse,
  readSettleResponse,
  x402Client,
  type x402ClientConfig,
  type x402HTTPClient,
} from "@x402kit/core/client";
import { type AxiosInstance, type AxiosResponse, isAxiosError } from "axios";
import {
  headerReader,
  isPaymentRetry,
  resend,
  settleLikeAxios,
  toTransportResponse,
} from "./axiosTransport.js";

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

/** Options of {@link wrapAxiosWithPayment}. */
export interface WrapAxiosOptions {
  /** Corrective 402s paid again per request (default: the HTTP client's, 1). */
  maxPaymentRetries?: number;
}

/**
 * Add a response interceptor to `axiosInstance` that pays `402 Payment Required` answers and
 * re-sends the request (body included) with the payment; returns the same instance.
 *
 * Core's `payForResponse` has the rules: a 402 is paid once (`PAYMENT-SIGNATURE` for v2,
 * `X-PAYMENT` for v1), a corrective 402 the paying scheme can satisfy is paid once more, and
 * any other answer to the paid request is final. The final answer resolves or rejects (an
 * `AxiosError` with its `response`) under your own `validateStatus`, as axios would. A 402 is
 * paid whether axios rejected it (the default) or your `validateStatus` let it through.
 * Throws an `X402Error` when nothing acceptable can be paid (`no_matching_requirements`,
 * `spending_limit_exceeded`, …) or when the request already carried a payment
 * (`payment_already_attempted`).
 *
 * @example
 * ```ts
 * const client = new x402Client().register("eip155:*", new ExactEvmScheme(privateKeyToAccount(key)));
 * const api = wrapAxiosWithPayment(axios.create(), client);
 * const response = await api.get("https://api.example.com/weather");
 * console.log(response.data, getPaymentReceipt(response)?.transaction);
 * ```
 */
export function wrapAxiosWithPayment(
  axiosInstance: AxiosInstance,
  client: x402Client | x402HTTPClient,
  options: WrapAxiosOptions = {},
): AxiosInstance {
  const pay = async (first: AxiosResponse): Promise<AxiosResponse> => {
    const config = first.config;
    const final = await payForResponse(client, resend(axiosInstance, config), {
      firstResponse: toTransportResponse(first),
      requestUrl: axiosInstance.getUri(config),
      requestHeaders: headerReader(config.headers),
      ...options,
    });
    return settleLikeAxios(final, config);
  };
  const needsPayment = (response: AxiosResponse | undefined): response is AxiosResponse =>
    response?.status === 402 && !!response.config && !isPaymentRetry(response.config);

  axiosInstance.interceptors.response.use(
    (response) => (needsPayment(response) ? pay(response) : response),
    (error: unknown) => {
      const response = isAxiosError(error) ? error.response : undefined;
      if (!needsPayment(response)) throw error;
      return pay(response);
    },
  );
  return axiosInstance;
}

/**
 * {@link wrapAxiosWithPayment} with a client built from one configuration object.
 *
 * @example
 * ```ts
 * const api = wrapAxiosWithPaymentFromConfig(axios.create(), {
 *   schemes: [{ network: "eip155:*", client: new ExactEvmScheme(account) }],
 * });
 * ```
 */
export function wrapAxiosWithPaymentFromConfig(
  axiosInstance: AxiosInstance,
  config: x402ClientConfig,
): AxiosInstance {
  return wrapAxiosWithPayment(axiosInstance, x402Client.fromConfig(config));
}

/**
 * The settlement receipt (`PAYMENT-RESPONSE`) of a paid axios response, or `undefined`.
 *
 * @example
 * ```ts
 * const receipt = getPaymentReceipt(await api.get(url));
 * if (receipt?.success) console.log("paid in", receipt.transaction);
 * ```
 */
export function getPaymentReceipt(response: Pick<AxiosResponse, "headers">): SettleResponse | undefined {
  return readSettleResponse(headerReader(response.headers));
}
