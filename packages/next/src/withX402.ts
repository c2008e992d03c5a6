import {
  type PaywallConfig,
  type PaywallProvider,
  SETTLEMENT_OVERRIDES_HEADER,
  type x402HTTPResourceServer,
} from "@x402kit/core/server";
import { type NextRequest, NextResponse } from "next/server";
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
      // A wrapped handler is paid by definition: a path its route table misses is a
      // configuration error, answered without running the handler (never served unpaid).
      if (!warned) {
        warned = true;
        console.error(
          `[x402kit] withX402: "${adapter.path}" matches none of ${Object.keys(httpServer.routes).join(", ")}; refusing to run the handler unpaid`,
        );
      }
      return NextResponse.json(
        { error: "invalid_route_config", message: "this paid route is not priced for this path" },
        { status: 503 },
      ) as NextResponse<never>;
    }
    const result = await httpServer.processRequest(adapter, match, paywallConfig);
    if (result.type === "no-payment-required") return routeHandler(request, ...rest);
    if (result.type === "payment-error") return toNextResponse(result.response);
    const { payment } = result;
    if (payment.settlementPhase === "before-handler")
      return withoutOverrides(
        withHeaders(await routeHandler(request, ...rest), payment.settledHeaders ?? {}),
      );
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

/** Settled before the handler: its overrides mean nothing and must not reach the client. */
function withoutOverrides<T extends Response>(response: T): T {
  try {
    response.headers.delete(SETTLEMENT_OVERRIDES_HEADER);
  } catch {
    // immutable headers (a fetch() answer passed through): nothing the handler set to strip
  }
  return response;
}
