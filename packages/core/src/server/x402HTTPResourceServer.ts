import { describeError, isX402Error, X402Error } from "../errors.js";
import { HookList } from "../hooks.js";
import {
  decodePaymentSignatureHeader,
  encodeHeaderJson,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
} from "../http/headers.js";
import { explainMismatch, findMatchingRequirements } from "../protocol/match.js";
import type {
  PaymentPayload,
  PaymentRequired,
  PaymentRequirements,
  SettleResponse,
  VerifyResponse,
} from "../protocol/types.js";
import { AcceptsBuilder } from "./acceptsBuilder.js";
import {
  type HttpResponseInstructions,
  jsonResponse,
  paymentRequiredResponse,
  settlementFailedResponse,
} from "./responses.js";
import {
  type CompiledRoute,
  compileRoutes,
  findRoute,
  normalizePath,
  type RequestContext,
  type RoutesConfig,
} from "./routes.js";
import type { x402ResourceServer } from "./x402ResourceServer.js";

/** A request as every adapter describes it. */
export interface HttpRequest {
  method: string;
  /** Path, optionally with query string. */
  path: string;
  /** Full URL (used as `resource.url` unless the route sets one). */
  url: string;
  /** Case-insensitive header lookup. */
  getHeader(name: string): string | undefined;
  /** The framework's request object, passed to dynamic prices. */
  request?: unknown;
}

/** Options of {@link x402HTTPResourceServer}. */
export interface HttpResourceServerOptions {
  /** Largest accepted `PAYMENT-SIGNATURE` value in bytes; larger ones get 431. Default 8192. */
  maxPaymentHeaderBytes?: number;
}

/** A priced route and the normalised path that matched it. */
export interface RouteMatch {
  route: CompiledRoute;
  path: string;
}

/** Result of an `onProtectedRequest` hook. */
export type ProtectedRequestResult = { grantAccess: true } | { abort: true; reason: string };

/** The outcome of {@link x402HTTPResourceServer.processRequest}. */
export type ProcessResult =
  | { type: "no-payment-required" }
  | { type: "payment-error"; response: HttpResponseInstructions }
  | { type: "payment-verified"; payment: VerifiedPayment };

/** What settling a verified payment produced. */
export type SettleOutcome =
  | { type: "settled"; headers: Record<string, string>; settleResponse: SettleResponse }
  | { type: "failed"; response: HttpResponseInstructions; settleResponse: SettleResponse };

/**
 * A payment that passed verification. The adapter runs the handler, holds its output, then
 * calls {@link settle} (handler succeeded) or {@link release} (handler failed): exactly once.
 */
export interface VerifiedPayment {
  readonly paymentPayload: PaymentPayload;
  readonly requirements: PaymentRequirements;
  readonly verifyResponse: VerifyResponse;
  /** Settle; on success add `headers` to the handler's response, else send `response` instead. */
  settle(): Promise<SettleOutcome>;
  /** Give up without settling (the handler answered ≥ 400 or threw). No money moves. A no-op once settled or released. */
  release(): void;
}

/**
 * The framework-free server pipeline every adapter calls: match the route, build the
 * requirements, answer 402 or decode, match, stop concurrent duplicates, verify — then,
 * after the handler, settle and produce the receipt header.
 *
 * @example
 * ```ts
 * const http = new x402HTTPResourceServer(server, { "GET /weather": { accepts: { scheme: "exact", network, payTo, price: "$0.01" } } });
 * await http.initialize();
 * const result = await http.processRequest(request);
 * ```
 */
export class x402HTTPResourceServer {
  readonly routes: readonly CompiledRoute[];
  private readonly accepts: AcceptsBuilder;
  private readonly inFlight = new Set<string>();
  private readonly protectedRequest = new HookList<
    { request: HttpRequest; route: CompiledRoute },
    ProtectedRequestResult
  >("protected_request_hook_error");
  private readonly maxHeaderBytes: number;

  constructor(
    readonly server: x402ResourceServer,
    routes: RoutesConfig,
    options: HttpResourceServerOptions = {},
  ) {
    this.routes = compileRoutes(routes);
    this.accepts = new AcceptsBuilder(server);
    this.maxHeaderBytes = options.maxPaymentHeaderBytes ?? 8192;
  }

  /** Load facilitator support and check every route; throws `invalid_route_config` listing all problems. */
  async initialize(): Promise<void> {
    await this.server.initialize();
    const problems = this.routes.flatMap((route) =>
      route.options.flatMap((option) => {
        const problem = this.server.problemWith(option);
        return problem ? [`${route.key}: ${problem}`] : [];
      }),
    );
    if (problems.length > 0)
      throw new X402Error("invalid_route_config", problems.join("\n"), { details: { problems } });
    await Promise.all(this.routes.map((route) => this.accepts.warm(route)));
  }

  /** `{ grantAccess: true }` lets a request through unpaid; `{ abort: true, reason }` answers 403. */
  onProtectedRequest(
    hook: (ctx: {
      request: HttpRequest;
      route: CompiledRoute;
    }) => ProtectedRequestResult | undefined | Promise<ProtectedRequestResult | undefined>,
  ): this {
    this.protectedRequest.add(hook);
    return this;
  }

  /** The priced route a request hits, if any (no I/O). Pass it to {@link processRequest} to match once. */
  matchRoute(method: string, rawPath: string): RouteMatch | undefined {
    const path = normalizePath(rawPath);
    const route = findRoute(this.routes, method, path);
    return route && { route, path };
  }

  /** True when the request hits a paid route (no I/O). */
  requiresPayment(method: string, path: string): boolean {
    return this.matchRoute(method, path) !== undefined;
  }

  /** Run the pre-handler half of the pipeline. Never throws for bad input. */
  async processRequest(
    request: HttpRequest,
    match = this.matchRoute(request.method, request.path),
  ): Promise<ProcessResult> {
    if (!match) return { type: "no-payment-required" };
    try {
      return await this.processPaidRoute(request, match.route, match.path);
    } catch (error) {
      return { type: "payment-error", response: errorResponse(error) };
    }
  }

  private async processPaidRoute(
    request: HttpRequest,
    route: CompiledRoute,
    path: string,
  ): Promise<ProcessResult> {
    const hook = await this.protectedRequest.first({ request, route });
    if (hook && "grantAccess" in hook) return { type: "no-payment-required" };
    if (hook && "abort" in hook)
      return { type: "payment-error", response: jsonResponse(403, { error: hook.reason }) };

    const context: RequestContext = {
      method: request.method,
      path,
      url: request.url,
      getHeader: request.getHeader,
      request: request.request,
    };
    const header = request.getHeader(PAYMENT_SIGNATURE_HEADER);
    if (header !== undefined && header.length > this.maxHeaderBytes)
      return {
        type: "payment-error",
        response: jsonResponse(431, {
          error: "payment_header_too_large",
          message: `PAYMENT-SIGNATURE exceeds ${this.maxHeaderBytes} bytes`,
        }),
      };

    const accepts = await this.accepts.build(route, context);
    const paymentRequired = (error: string): PaymentRequired => ({
      x402Version: 2,
      error,
      resource: {
        url: route.config.resource ?? request.url,
        description: route.config.description ?? "",
        mimeType: route.config.mimeType ?? "",
      },
      accepts,
      ...(route.config.extensions ? { extensions: route.config.extensions } : {}),
    });
    const reject = (reason: string, message?: string, status = 402): ProcessResult => ({
      type: "payment-error",
      response: paymentRequiredResponse(paymentRequired(reason), status, {
        error: reason,
        ...(message ? { message } : {}),
      }),
    });

    if (!header) {
      const body = route.config.unpaidResponseBody ? await route.config.unpaidResponseBody(context) : {};
      return {
        type: "payment-error",
        response: paymentRequiredResponse(paymentRequired("Payment required"), 402, body),
      };
    }

    let paymentPayload: PaymentPayload;
    try {
      paymentPayload = decodePaymentSignatureHeader(header);
    } catch (error) {
      return reject("invalid_payload", `PAYMENT-SIGNATURE: ${describeError(error)}`, 400);
    }
    const requirements = findMatchingRequirements(accepts, paymentPayload.accepted);
    if (!requirements) {
      const { reason, message } = explainMismatch(accepts, paymentPayload.accepted);
      return reject(reason, message);
    }

    const id = this.server.paymentId(paymentPayload);
    if (this.inFlight.has(id))
      return reject("duplicate_settlement", "this payment is already being processed");
    this.inFlight.add(id);
    let verifyResponse: VerifyResponse;
    try {
      verifyResponse = await this.server.verifyPayment(paymentPayload, requirements);
    } catch (error) {
      this.inFlight.delete(id);
      throw error;
    }
    if (!verifyResponse.isValid) {
      this.inFlight.delete(id);
      return reject(
        verifyResponse.invalidReason ?? "invalid_payload",
        verifyResponse.invalidMessage ?? undefined,
      );
    }
    return {
      type: "payment-verified",
      payment: this.verifiedPayment(id, route, context, paymentPayload, requirements, verifyResponse),
    };
  }

  private verifiedPayment(
    id: string,
    route: CompiledRoute,
    context: RequestContext,
    paymentPayload: PaymentPayload,
    requirements: PaymentRequirements,
    verifyResponse: VerifyResponse,
  ): VerifiedPayment {
    let done = false;
    return {
      paymentPayload,
      requirements,
      verifyResponse,
      release: () => {
        if (done) return;
        done = true;
        this.inFlight.delete(id);
      },
      settle: async () => {
        if (done)
          throw new X402Error("invalid_transaction_state", "this payment was already settled or released");
        done = true;
        try {
          const settleResponse = await this.server.settlePayment(paymentPayload, requirements);
          if (settleResponse.success)
            return {
              type: "settled",
              settleResponse,
              headers: { [PAYMENT_RESPONSE_HEADER]: encodeHeaderJson(settleResponse) },
            };
          const reason = settleResponse.errorReason ?? "settlement_failed";
          const body = route.config.settlementFailedResponseBody
            ? await route.config.settlementFailedResponseBody(context, reason)
            : undefined;
          return { type: "failed", settleResponse, response: settlementFailedResponse(settleResponse, body) };
        } finally {
          this.inFlight.delete(id);
        }
      },
    };
  }
}

/** Map an unexpected failure to a response: typed errors keep their status, never a 500. */
function errorResponse(error: unknown): HttpResponseInstructions {
  // Facilitator failures carry 502; anything else means the server cannot take payments now.
  if (isX402Error(error))
    return jsonResponse(error.status ?? 503, { error: error.code, message: error.message });
  return jsonResponse(503, { error: "unexpected_error", message: describeError(error) });
}
