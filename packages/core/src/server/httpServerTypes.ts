// The public shapes of the HTTP pipeline (x402HTTPResourceServer): its options, the paywall
// seam, route matches, protected-request hooks and the outcome of a request.
import type { PaymentPayload, PaymentRequired, PaymentRequirements } from "../protocol/types.js";
import type { KeyValueStore } from "../storage/keyValueStore.js";
import type { AcceptV1Options } from "./acceptV1.js";
import type { HttpResponseInstructions } from "./responses.js";
import type { CompiledRoute, RequestContext, RouteConfig } from "./routes.js";
import type { VerifiedPayment } from "./verifiedPayment.js";

/** Options of `x402HTTPResourceServer` (x402kit additions; the official constructor has none). */
export interface HttpResourceServerOptions {
  /** Largest accepted `PAYMENT-SIGNATURE` value in bytes; larger ones get 431. Default 8192. */
  maxPaymentHeaderBytes?: number;
  /**
   * Where the in-flight guard lives (one copy of a payment at a time). Default: this
   * instance's memory; share a Redis/PostgreSQL store across instances.
   */
  store?: KeyValueStore;
  /** How long a verified payment stays claimed at most. Default: its `maxTimeoutSeconds` + 60. */
  inFlightTtlSeconds?: number;
  /** Also serve x402 v1 clients (`X-PAYMENT`, a v1 402 body); off by default. See {@link AcceptV1Options}. */
  acceptV1?: AcceptV1Options;
}

/** Paywall settings handed to the paywall provider (official shape). */
export interface PaywallConfig {
  appName?: string;
  appLogo?: string;
  sessionTokenEndpoint?: string;
  currentUrl?: string;
  testnet?: boolean;
}

/** Builds the browser paywall page of an unpaid 402. */
export interface PaywallProvider {
  generateHtml(paymentRequired: PaymentRequired, config?: PaywallConfig): string;
}

/** A priced route and the normalised path that matched it. */
export interface RouteMatch {
  route: CompiledRoute;
  path: string;
}

/** Result of an `onProtectedRequest` hook. */
export type ProtectedRequestResult = { grantAccess: true } | { abort: true; reason: string };

/** A hook run for every request to a priced route, before payment (official signature). */
export type ProtectedRequestHook = (
  context: RequestContext,
  routeConfig: RouteConfig,
) => ProtectedRequestResult | undefined | Promise<ProtectedRequestResult | undefined>;

/** The outcome of `x402HTTPResourceServer.processRequest`. */
export type ProcessResult =
  | { type: "no-payment-required" }
  | { type: "payment-error"; response: HttpResponseInstructions }
  | {
      type: "payment-verified";
      payment: VerifiedPayment;
      paymentPayload: PaymentPayload;
      paymentRequirements: PaymentRequirements;
      declaredExtensions: Record<string, unknown> | undefined;
    };
