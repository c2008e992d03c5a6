import type { PaywallConfig, PaywallProvider, x402HTTPResourceServer } from "@x402kit/core/server";
import type { NextRequest, NextResponse } from "next/server";
import { NextAdapter } from "./nextAdapter.js";
import { prepare } from "./proxy.js";
import { settleForResponse, toNextResponse, withHeaders } from "./responses.js";

/** An App Router route handler; the second argument (`{ params }`) is passed through. */
export type RouteHandler<T = unknown, A extends unknown[] = unknown[]> = (
  request: NextRequest,
  ...rest: A
) => Promise<NextResponse<T>> | Promise<Response>;

/**
 * {@link withX402} for a configured pipeline: verify, run the handler, read its whole answer
 * (streams included: nothing leaves before settlement), settle only if it answered < 400, then
 * answer with the receipt — or with the 402 failure, the handler's output withheld. A handler
 * that throws or answers ≥ 400 charges nothing. Before-handler routes settle first and the
 * handler's answer streams out with the receipt.
 *
 * @example
 * ```ts
 * const http = new x402HTTPResourceServer(server, { "GET /api/report": config });
 * export const GET = withX402FromHTTPServer(async () => NextResponse.json(report), http);
 * ```
 */
export function withX402FromHTTPServer<T = unknown, A extends unknown[] = unknown[]>(
  routeHandler: RouteHandler<T, A>,
  httpServer: x402HTTPResourceServer,
  paywallConfig?: PaywallConfig,
  paywall?: PaywallProvider,
  syncFacilitatorOnStart = true,
): (request: NextRequest, ...rest: A) => Promise<NextResponse<T>> {
  prepare(httpServer, paywall, syncFacilitatorOnStart);
  let warned = false;
  return (async (request: NextRequest, ...rest: A) => {
    const adapter = new NextAdapter(request);
    const match = httpServer.matchRoute(adapter.method, adapter.path);
    if (!match) {
      if (!warned && adapter.method !== "OPTIONS") {
        warned = true;
        console.warn(
          `[x402kit] withX402: "${adapter.path}" matches none of ${Object.keys(httpServer.routes).join(", ")}; the handler ran unpaid`,
        );
      }
      return routeHandler(request, ...rest);
    }
    const result = await httpServer.processRequest(adapter, match, paywallConfig);
    if (result.type === "no-payment-required") return routeHandler(request, ...rest);
    if (result.type === "payment-error") return toNextResponse(result.response);
    const { payment } = result;
    if (payment.settlementPhase === "before-handler")
      return withHeaders(await routeHandler(request, ...rest), payment.settledHeaders ?? {});
    let response: Response;
    try {
      response = await routeHandler(request, ...rest);
    } catch (error) {
      payment.release();
      throw error;
    }
    return settleForResponse(payment, response);
  }) as (request: NextRequest, ...rest: A) => Promise<NextResponse<T>>;
}
