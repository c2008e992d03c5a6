import type {
  PaywallConfig,
  PaywallProvider,
  VerifiedPayment,
  x402HTTPResourceServer,
} from "@x402kit/core/server";
import { type NextRequest, NextResponse } from "next/server";
import { NextAdapter } from "./nextAdapter.js";
import { settleForResponse, toNextResponse } from "./responses.js";

/** x402kit options of the proxy (the official arguments come first). */
export interface NextProxyOptions {
  /**
   * Where the proxy reaches its own app to run a paid route's handler before settling it.
   * Default: the request's `nextUrl` origin, which is the address `next start` serves on.
   */
  origin?: string;
}

/** Marks the proxy's own request for a verified payment; carries a one-time token. */
export const PAID_SUBREQUEST_HEADER = "x-x402kit-paid-subrequest";
const openSubrequests = new Set<string>();
// Hop-by-hop and body-framing headers are the fetch's own business; compression would only be undone.
// The payment itself is not forwarded either: if the sub-request reaches another instance, that
// instance must answer 402 (nothing charged here), not verify and settle the payment a second time.
const NOT_FORWARDED = [
  "payment-signature",
  "x-payment",
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "expect",
  "accept-encoding",
];

/** The proxy function every factory returns (official shape). */
export type PaymentProxy = (request: NextRequest) => Promise<NextResponse>;

/**
 * The proxy (`proxy.ts`, `middleware.ts` before Next 16) for a configured pipeline. A proxy
 * only sees the request, so for an after-handler route it runs the handler itself: it sends
 * the request on to the app once more (marked with a one-time token, so the second pass is
 * not priced), holds the whole answer, settles, and only then answers — the handler's output
 * never leaves unpaid, a failed handler is not charged. Before-handler routes settle here and
 * let Next run the handler with the receipt already on the response.
 *
 * @example
 * ```ts
 * const http = new x402HTTPResourceServer(server, routes).onProtectedRequest(hook);
 * export const proxy = paymentProxyFromHTTPServer(http);
 * ```
 */
export function paymentProxyFromHTTPServer(
  http: x402HTTPResourceServer,
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
  options: NextProxyOptions = {},
): PaymentProxy {
  prepare(http, paywall, syncFacilitatorOnStart);
  return async (request) => {
    const token = request.headers.get(PAID_SUBREQUEST_HEADER);
    if (token !== null && openSubrequests.delete(token)) return NextResponse.next();
    const adapter = new NextAdapter(request);
    const match = http.matchRoute(adapter.method, adapter.path);
    if (!match) return NextResponse.next();
    const result = await http.processRequest(adapter, match, paywallConfig);
    if (result.type === "no-payment-required") return NextResponse.next();
    if (result.type === "payment-error") return toNextResponse(result.response);
    const { payment } = result;
    if (payment.settlementPhase === "before-handler")
      return NextResponse.next({ headers: payment.settledHeaders ?? {} });
    return runAndSettle(request, payment, options);
  };
}

async function runAndSettle(
  request: NextRequest,
  payment: VerifiedPayment,
  options: NextProxyOptions,
): Promise<NextResponse> {
  const token = crypto.randomUUID();
  const target = new URL(request.nextUrl.href);
  if (options.origin) {
    const origin = new URL(options.origin);
    target.protocol = origin.protocol;
    target.host = origin.host;
  }
  const headers = new Headers(request.headers);
  for (const name of NOT_FORWARDED) headers.delete(name);
  headers.set(PAID_SUBREQUEST_HEADER, token);
  // Read whole: Next hands the proxy a copy of the body stream, which does not re-stream reliably.
  const body =
    request.method === "GET" || request.method === "HEAD"
      ? null
      : new Uint8Array(await request.arrayBuffer());
  openSubrequests.add(token);
  let response: Response;
  try {
    response = await fetch(target, {
      method: request.method,
      headers,
      body: body && body.byteLength > 0 ? body : null,
      redirect: "manual",
      cache: "no-store",
    });
  } catch (error) {
    payment.release();
    console.error("[x402kit] the proxy could not reach its own app:", error);
    return NextResponse.json({ error: "handler_unreachable" }, { status: 502 });
  } finally {
    openSubrequests.delete(token);
  }
  return settleForResponse(payment, response);
}

/** Register the paywall and start initialisation, as every factory does. */
export function prepare(
  http: x402HTTPResourceServer,
  paywall: PaywallProvider | undefined,
  syncFacilitatorOnStart: boolean,
): void {
  if (paywall) http.registerPaywallProvider(paywall);
  if (syncFacilitatorOnStart) http.initializeInBackground();
}
