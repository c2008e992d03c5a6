import type { SettleResponse } from "@x402kit/core";

/**
 * One paid call: what was asked, the answer's status and body, and the settlement receipt
 * (`PAYMENT-RESPONSE`), if any.
 *
 * @example
 * ```ts
 * const call: PaidCall = { request: "GET /weather", status: 200, body: { city: "Lisbon" }, receipt };
 * ```
 */
export interface PaidCall<Body = unknown> {
  request: string;
  status: number;
  body: Body;
  receipt: SettleResponse | undefined;
}
