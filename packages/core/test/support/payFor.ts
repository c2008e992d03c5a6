import type { PaymentRequired, SchemeClient } from "@x402kit/core";
import { decodePaymentRequiredHeader, encodeHeaderJson } from "@x402kit/core/http";
import type { HttpRequest, ProcessResult, x402HTTPResourceServer } from "@x402kit/core/server";

/** A GET (or other) request description with case-insensitive headers. */
export function request(path: string, headers: Record<string, string> = {}, method = "GET"): HttpRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, path, url: `http://shop.test${path}`, getHeader: (name) => lower[name.toLowerCase()] };
}

/** The decoded PAYMENT-REQUIRED of a 402 result. */
export function paymentRequiredOf(result: ProcessResult): PaymentRequired {
  if (result.type !== "payment-error") throw new Error(`expected a 402, got ${result.type}`);
  return decodePaymentRequiredHeader(result.response.headers["PAYMENT-REQUIRED"] as string);
}

/** The JSON body of an error result. */
export function errorOf(result: ProcessResult): { error?: string; message?: string } {
  if (result.type !== "payment-error") throw new Error(`expected an error, got ${result.type}`);
  return JSON.parse(result.response.body);
}

/**
 * Sign for `required.accepts[0]` with a scheme client, the way x402Client does (without its
 * spending limits), and return the request headers.
 */
export async function signFor(
  required: PaymentRequired,
  client: SchemeClient,
): Promise<Record<string, string>> {
  const accepted = required.accepts[0];
  if (!accepted) throw new Error("nothing accepted");
  const { payload } = await client.createPaymentPayload(2, accepted, {});
  return {
    "PAYMENT-SIGNATURE": encodeHeaderJson({ x402Version: 2, accepted, resource: required.resource, payload }),
  };
}

/** Ask for `path` unpaid, then sign for what the 402 asks. */
export async function payFor(
  http: x402HTTPResourceServer,
  path: string,
  client: SchemeClient,
): Promise<Record<string, string>> {
  return signFor(paymentRequiredOf(await http.processRequest(request(path))), client);
}
