import { describeError, isX402Error } from "../errors.js";
import { HookList } from "../hooks.js";
import { explainMismatch } from "../protocol/match.js";
import type { PaymentPayload, PaymentRequired, PaymentRequirements } from "../protocol/types.js";
import { AcceptsBuilder } from "./acceptsBuilder.js";
import { type AcceptV1Options, toPaymentRequiredV1, xPaymentResponseHeaders } from "./acceptV1.js";
import type {
  HttpResourceServerOptions,
  PaywallConfig,
  PaywallProvider,
  ProcessResult,
  ProtectedRequestHook,
  ProtectedRequestResult,
  RouteMatch,
} from "./httpServerTypes.js";
import { InFlightGuard } from "./inFlightGuard.js";
import { decodePaymentHeader, readPaymentHeader } from "./paymentHeader.js";
import {
  type HTTPRequestContext,
  type HttpRequest,
  PaidRequestContext,
  toHttpRequest,
} from "./requestContext.js";
import {
  type HttpResponseInstructions,
  jsonResponse,
  paymentRequiredResponse,
  paywallResponse,
} from "./responses.js";
import { RouteConfigurationError, type RouteValidationError } from "./routeConfigurationError.js";
import { type CompiledRoute, compileRoutes, findRoute, normalizePath, type RoutesConfig } from "./routes.js";
import type { SettlementOverrides } from "./settlementOverrides.js";
import { type ProcessSettleResultResponse, settleAndDescribe } from "./settlementResult.js";
import { PendingPayment, SettledPayment, type VerifiedPayment } from "./verifiedPayment.js";
import type { x402ResourceServer } from "./x402ResourceServer.js";

export type {
  HttpResourceServerOptions,
  PaywallConfig,
  PaywallProvider,
  ProcessResult,
  ProtectedRequestHook,
  ProtectedRequestResult,
  RouteMatch,
} from "./httpServerTypes.js";

const NO_PAYMENT: ProcessResult = { type: "no-payment-required" };

/**
 * The framework-free server pipeline every adapter calls: match the route, initialise (once,
 * retried after a failure), build the requirements, answer 402 or decode, match, verify, claim
 * the verified payment against concurrent copies — then, after the handler, settle what the handler
 * reports (or release) and produce the receipt header ({@link VerifiedPayment.afterHandler}).
 * Routes with `settlementPhase: "before-handler"` settle inside {@link processRequest} instead.
 *
 * @example
 * ```ts
 * const http = new x402HTTPResourceServer(server, { "GET /weather": { accepts: { scheme: "exact", network, payTo, price: "$0.01" } } });
 * const result = await http.processRequest(request);
 * if (result.type === "payment-verified") { await runHandler(); await result.payment.afterHandler({ status: 200 }); }
 * ```
 */
export class x402HTTPResourceServer {
  readonly compiledRoutes: readonly CompiledRoute[];
  private readonly accepts: AcceptsBuilder;
  private readonly guard: InFlightGuard;
  private readonly maxHeaderBytes: number;
  private readonly acceptV1: AcceptV1Options | undefined;
  private readonly protectedRequest = new HookList<PaidRequestContext, ProtectedRequestResult>(
    "protected_request_hook_error",
  );
  private readonly verified = new WeakMap<PaymentPayload, VerifiedPayment>();
  private paywall: PaywallProvider | undefined;
  private initialization: Promise<void> | undefined;
  private ready = false;

  constructor(
    readonly server: x402ResourceServer,
    private readonly routesConfig: RoutesConfig,
    options: HttpResourceServerOptions = {},
  ) {
    this.compiledRoutes = compileRoutes(routesConfig);
    this.accepts = new AcceptsBuilder(server);
    this.maxHeaderBytes = options.maxPaymentHeaderBytes ?? 8192;
    this.acceptV1 = options.acceptV1;
    this.guard = new InFlightGuard(options.store, options.inFlightTtlSeconds);
  }

  /** The route table as configured. */
  get routes(): RoutesConfig {
    return this.routesConfig;
  }

  /**
   * Load facilitator support and check every route (once; a failure is retried on the next
   * call or paid request). Throws {@link RouteConfigurationError} listing every problem.
   */
  initialize(): Promise<void> {
    this.initialization ??= this.load().then(
      () => {
        this.ready = true;
      },
      (error: unknown) => {
        this.initialization = undefined;
        throw error;
      },
    );
    return this.initialization;
  }

  /** Start {@link initialize} now without waiting; a failure is logged and retried on the next paid request. */
  initializeInBackground(): void {
    this.initialize().catch((error: unknown) =>
      console.error("[x402kit] payment middleware not ready (retried on the next paid request):", error),
    );
  }

  /** Serve browsers' unpaid 402s as HTML from this provider. */
  registerPaywallProvider(provider: PaywallProvider): this {
    this.paywall = provider;
    return this;
  }

  /** `{ grantAccess: true }` lets a request through unpaid; `{ abort: true, reason }` answers 403. */
  onProtectedRequest(hook: ProtectedRequestHook): this {
    // A hook answering nothing (void) lets the request go on to payment.
    this.protectedRequest.add(
      (context) => hook(context, context.route.config) as Promise<ProtectedRequestResult | undefined>,
    );
    return this;
  }

  /** The priced route a request hits, if any (no I/O). Pass it to {@link processRequest} to match once. */
  matchRoute(method: string, rawPath: string): RouteMatch | undefined {
    const path = normalizePath(rawPath);
    const route = findRoute(this.compiledRoutes, method, path);
    return route && { route, path };
  }

  /** True when the request hits a priced route (no I/O). */
  requiresPayment(request: string | { method: string; path: string }, path?: string): boolean {
    return typeof request === "string"
      ? this.matchRoute(request, path ?? "/") !== undefined
      : this.matchRoute(request.method, request.path) !== undefined;
  }

  /** {@link processRequest} under the official name, also taking the official `{ adapter, path, method }` context. */
  async processHTTPRequest(
    context: HttpRequest | HTTPRequestContext,
    paywallConfig?: PaywallConfig,
  ): Promise<ProcessResult> {
    const result = await this.processRequest(toHttpRequest(context), undefined, paywallConfig);
    if (result.type === "payment-verified") this.verified.set(result.paymentPayload, result.payment);
    return result;
  }

  /**
   * Settle a payment verified by {@link processHTTPRequest} (official shape). Prefer
   * `result.payment.afterHandler(...)`, which also releases for failed handlers.
   */
  processSettlement(
    paymentPayload: PaymentPayload,
    requirements: PaymentRequirements,
    declaredExtensions?: Record<string, unknown>,
    transportContext?: unknown,
    settlementOverrides?: SettlementOverrides,
  ): Promise<ProcessSettleResultResponse> {
    const payment = this.verified.get(paymentPayload);
    this.verified.delete(paymentPayload);
    return settleAndDescribe(this.server, payment, {
      paymentPayload,
      requirements,
      declaredExtensions,
      transportContext,
      settlementOverrides,
    });
  }

  /** Run the pre-handler half of the pipeline. Never throws for bad input. */
  async processRequest(
    request: HttpRequest,
    match = this.matchRoute(request.method, request.path),
    paywallConfig?: PaywallConfig,
  ): Promise<ProcessResult> {
    if (!match) return NO_PAYMENT;
    try {
      if (!this.ready) await this.initialize();
    } catch (error) {
      return {
        type: "payment-error",
        response: jsonResponse(503, { error: "payment_unavailable", message: describeError(error) }),
      };
    }
    try {
      return await this.processPaidRoute(request, match.route, match.path, paywallConfig);
    } catch (error) {
      return { type: "payment-error", response: errorResponse(error) };
    }
  }

  private async processPaidRoute(
    request: HttpRequest,
    route: CompiledRoute,
    path: string,
    paywallConfig: PaywallConfig | undefined,
  ): Promise<ProcessResult> {
    const { value: header, legacy } = readPaymentHeader(request, this.acceptV1);
    const context = new PaidRequestContext(request, path, route, header);
    if (!this.protectedRequest.empty) {
      const hook = await this.protectedRequest.first(context);
      if (hook && "grantAccess" in hook) return NO_PAYMENT;
      if (hook && "abort" in hook)
        return { type: "payment-error", response: jsonResponse(403, { error: hook.reason }) };
    }
    if (header !== undefined && header.length > this.maxHeaderBytes)
      return {
        type: "payment-error",
        response: jsonResponse(431, {
          error: "payment_header_too_large",
          message: `PAYMENT-SIGNATURE exceeds ${this.maxHeaderBytes} bytes`,
        }),
      };

    const accepts = await this.accepts.build(route, context);
    if (!header) return this.unpaid(route, context, accepts, paywallConfig);

    const decoded = decodePaymentHeader({ value: header, legacy }, accepts, this.acceptV1);
    if (!("payload" in decoded))
      return this.reject(route, context, accepts, decoded.reason, decoded.message, decoded.status);
    const paymentPayload = decoded.payload;
    const requirements = this.server.findMatchingRequirements(accepts, paymentPayload);
    if (!requirements) {
      const { reason, message } = explainMismatch(accepts, paymentPayload.accepted, this.server.matchRules);
      return this.reject(route, context, accepts, reason, message);
    }

    // Only a verified payment may hold the guard: claimed before verification, a forged copy
    // (the victim's payer and nonce, a bad signature) sent just ahead of the real one would make
    // the real one a duplicate. A copy of a payment already held is refused without verifying.
    const id = this.server.paymentId(paymentPayload, requirements);
    const duplicate = () =>
      this.reject(route, context, accepts, "duplicate_settlement", "this payment is already being processed");
    if (this.guard.isHeld(id)) return duplicate();
    const declared = route.config.extensions;
    const verifyResponse = await this.server.verifyPayment(paymentPayload, requirements, declared, context);
    if (!verifyResponse.isValid) {
      const reason = verifyResponse.invalidReason ?? "invalid_payload";
      const message = verifyResponse.invalidMessage ?? undefined;
      const corrective = verifyResponse.correctiveExtra;
      // A corrective 402: the matched offer carries the per-request data the client must sign against.
      const offers = corrective
        ? accepts.map((a) => (a === requirements ? { ...a, extra: { ...a.extra, ...corrective } } : a))
        : accepts;
      return this.reject(route, context, offers, reason, message);
    }
    const claim = this.guard.claim(id, requirements.maxTimeoutSeconds);
    const token = typeof claim === "object" ? await claim : claim;
    if (token === undefined) return duplicate();
    const payment = new PendingPayment(
      this.server,
      this.guard,
      { id, token },
      route,
      context,
      paymentPayload,
      requirements,
      verifyResponse,
    );
    if (legacy && this.acceptV1) {
      const v1 = this.acceptV1;
      payment.receiptHeaders = (settle) => xPaymentResponseHeaders(settle, v1);
    }
    if (route.config.settlementPhase === "before-handler") return this.settleBeforeHandler(payment, declared);
    return {
      type: "payment-verified",
      payment,
      paymentPayload,
      paymentRequirements: requirements,
      declaredExtensions: declared,
    };
  }

  /** `before-handler` routes: settle now; a failure answers 402 and the handler never runs. */
  private async settleBeforeHandler(
    pending: PendingPayment,
    declared: Record<string, unknown> | undefined,
  ): Promise<ProcessResult> {
    const outcome = await pending.settleOrFail();
    if (outcome.type === "failed") return { type: "payment-error", response: outcome.response };
    return {
      type: "payment-verified",
      payment: new SettledPayment(pending, outcome),
      paymentPayload: pending.paymentPayload,
      paymentRequirements: pending.requirements,
      declaredExtensions: declared,
    };
  }

  private async unpaid(
    route: CompiledRoute,
    context: PaidRequestContext,
    accepts: PaymentRequirements[],
    paywallConfig: PaywallConfig | undefined,
  ): Promise<ProcessResult> {
    const paymentRequired = await this.paymentRequired(route, context, accepts, "Payment required");
    const html = (route.config.customPaywallHtml !== undefined || this.paywall) && isBrowser(context);
    if (html)
      return {
        type: "payment-error",
        response: paywallResponse(
          paymentRequired,
          route.config.customPaywallHtml ??
            (this.paywall as PaywallProvider).generateHtml(paymentRequired, paywallConfig),
        ),
      };
    // With the v1 opt-in the body is the v1 402 (v1 clients read nothing else).
    const body = this.acceptV1
      ? toPaymentRequiredV1(paymentRequired, this.acceptV1)
      : route.config.unpaidResponseBody
        ? await route.config.unpaidResponseBody(context)
        : {};
    return { type: "payment-error", response: paymentRequiredResponse(paymentRequired, 402, body) };
  }

  private async reject(
    route: CompiledRoute,
    context: PaidRequestContext,
    accepts: PaymentRequirements[],
    reason: string,
    message?: string,
    status = 402,
  ): Promise<ProcessResult> {
    const paymentRequired = await this.paymentRequired(route, context, accepts, reason);
    return {
      type: "payment-error",
      response: paymentRequiredResponse(paymentRequired, status, {
        ...(this.acceptV1 ? toPaymentRequiredV1(paymentRequired, this.acceptV1) : {}),
        error: reason,
        ...(message ? { message } : {}),
      }),
    };
  }

  private paymentRequired(
    route: CompiledRoute,
    context: PaidRequestContext,
    accepts: PaymentRequirements[],
    error: string,
  ): Promise<PaymentRequired> {
    const resource = {
      url: route.config.resource ?? context.url,
      description: route.config.description ?? "",
      mimeType: route.config.mimeType ?? "",
    };
    return this.server.createPaymentRequiredResponse(
      accepts,
      resource,
      error,
      route.config.extensions,
      context,
    );
  }

  private async load(): Promise<void> {
    await this.server.initialize();
    const problems: RouteValidationError[] = [];
    for (const route of this.compiledRoutes)
      for (const option of route.options) {
        const problem = this.server.problemWith(option);
        if (problem)
          problems.push({
            routePattern: route.key,
            scheme: option.scheme,
            network: option.network,
            ...problem,
          });
      }
    if (problems.length > 0) throw new RouteConfigurationError(problems);
    await Promise.all(this.compiledRoutes.map((route) => this.accepts.warm(route)));
  }
}

function isBrowser(context: PaidRequestContext): boolean {
  return (
    (context.getHeader("accept") ?? "").includes("text/html") &&
    (context.getHeader("user-agent") ?? "").includes("Mozilla")
  );
}

/** Map an unexpected failure to a response: typed errors keep their status, never a 500. */
function errorResponse(error: unknown): HttpResponseInstructions {
  // Facilitator failures carry 502; anything else means the server cannot take payments now.
  if (isX402Error(error))
    return jsonResponse(error.status ?? 503, { error: error.code, message: error.message });
  return jsonResponse(503, { error: "unexpected_error", message: describeError(error) });
}
