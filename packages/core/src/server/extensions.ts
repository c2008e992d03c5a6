import type {
  PaymentPayload,
  PaymentRequired,
  PaymentRequirements,
  ResourceInfo,
  SettleResponse,
  VerifyResponse,
} from "../protocol/types.js";
import {
  assertAcceptsAllowlistedAfterExtensionEnrich,
  snapshotPaymentRequirementsList,
} from "./enrichmentPolicy.js";

/** What `enrichPaymentRequiredResponse` sees. */
export interface PaymentRequiredContext {
  requirements: PaymentRequirements[];
  resourceInfo: ResourceInfo;
  error?: string;
  /** The 402 body being built; `extensions[key]` is replaced by the hook's return value. */
  paymentRequiredResponse: PaymentRequired;
  transportContext?: unknown;
}

/** What `enrichVerifyResponse` and `enrichSettlementResponse` see. */
export interface PaymentResultContext<T> {
  paymentPayload: PaymentPayload;
  requirements: PaymentRequirements;
  declaredExtensions: Record<string, unknown>;
  transportContext?: unknown;
  result: T;
}

/**
 * A resource-server extension (bazaar, payment-identifier, offer-receipt, …). Each hook runs
 * only for routes that declare the extension's `key`; a returned value becomes
 * `extensions[key]` of that message. A throwing hook is reported and skipped: extensions
 * never break a payment.
 *
 * @example
 * ```ts
 * server.registerExtension({
 *   key: "bazaar",
 *   enrichDeclaration: (declaration, request) => withMethod(declaration, (request as HttpRequest).method),
 * });
 * ```
 */
export interface ResourceServerExtension {
  key: string;
  /** Per request, before the 402 is built: complete the route's declaration (e.g. the HTTP method). */
  enrichDeclaration?(declaration: unknown, transportContext: unknown): unknown;
  /** Data for `PaymentRequired.extensions[key]` (e.g. a fresh nonce, a signed offer). */
  enrichPaymentRequiredResponse?(declaration: unknown, context: PaymentRequiredContext): unknown;
  /** x402kit addition: data for `VerifyResponse.extensions[key]` (e.g. an idempotency verdict). */
  enrichVerifyResponse?(declaration: unknown, context: PaymentResultContext<VerifyResponse>): unknown;
  /** Data for `SettleResponse.extensions[key]`, sent in `PAYMENT-RESPONSE` (e.g. a signed receipt). */
  enrichSettlementResponse?(declaration: unknown, context: PaymentResultContext<SettleResponse>): unknown;
}

type EnrichHook = "enrichPaymentRequiredResponse" | "enrichVerifyResponse" | "enrichSettlementResponse";

/**
 * The extensions registered on a resource server and the one way their hooks run.
 * @example
 * ```ts
 * const extensions = new ServerExtensions().add(bazaarExtension);
 * ```
 */
export class ServerExtensions {
  private readonly byKey = new Map<string, ResourceServerExtension>();

  add(extension: ResourceServerExtension): this {
    this.byKey.set(extension.key, extension);
    return this;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  list(): ResourceServerExtension[] {
    return [...this.byKey.values()];
  }

  /** True when something could enrich a message for these declarations (the hot path skips the rest). */
  applies(declared: Record<string, unknown> | undefined): declared is Record<string, unknown> {
    if (!declared || this.byKey.size === 0) return false;
    for (const key in declared) if (this.byKey.has(key)) return true;
    return false;
  }

  /** Run `enrichDeclaration` of every registered extension the route declares. */
  enrichDeclarations(declared: Record<string, unknown>, transportContext: unknown): Record<string, unknown> {
    const enriched: Record<string, unknown> = {};
    for (const [key, declaration] of Object.entries(declared)) {
      const hook = this.byKey.get(key)?.enrichDeclaration;
      enriched[key] = hook
        ? guard(key, "enrichDeclaration", () => hook(declaration, transportContext), declaration)
        : declaration;
    }
    return enriched;
  }

  /**
   * The 402 with each declared extension enriched (`enrichDeclaration`, then
   * `enrichPaymentRequiredResponse`). Extensions see a copy of `accepts` and may only fill vacant
   * fields or add `extra` keys: a change beyond that is undone and that extension's data dropped.
   */
  async enrichPaymentRequired(
    paymentRequired: PaymentRequired,
    extensions: Record<string, unknown>,
    transportContext: unknown,
  ): Promise<PaymentRequired> {
    const requirements = paymentRequired.accepts;
    const { resource: resourceInfo, error } = paymentRequired;
    const declared = this.enrichDeclarations(extensions, transportContext);
    // Extensions see (and may fill vacant fields of) a copy: the route's cached offers stay intact.
    paymentRequired.accepts = snapshotPaymentRequirementsList(requirements);
    paymentRequired.extensions = declared;
    const context = {
      requirements: paymentRequired.accepts,
      resourceInfo,
      error,
      paymentRequiredResponse: paymentRequired,
      transportContext,
    };
    let baseline = snapshotPaymentRequirementsList(requirements);
    paymentRequired.extensions = await this.enrich(
      "enrichPaymentRequiredResponse",
      declared,
      context,
      declared,
      {
        check: (key) => {
          assertAcceptsAllowlistedAfterExtensionEnrich(baseline, paymentRequired.accepts, key);
          baseline = snapshotPaymentRequirementsList(paymentRequired.accepts);
        },
        undo: () => {
          paymentRequired.accepts.splice(0, Infinity, ...snapshotPaymentRequirementsList(baseline));
        },
      },
    );
    return paymentRequired;
  }

  /**
   * Run one enrichment hook per declared key; returns `extensions` with the hooks' data merged
   * in. `police` checks what a hook may have changed in place: a hook that broke the rules
   * (or threw) is reported, its changes undone, its data dropped.
   */
  async enrich<C>(
    hook: EnrichHook,
    declared: Record<string, unknown>,
    context: C,
    current: Record<string, unknown> | undefined,
    police?: { check(key: string): void; undo(): void },
  ): Promise<Record<string, unknown> | undefined> {
    let extensions = current;
    for (const [key, declaration] of Object.entries(declared)) {
      const fn = this.byKey.get(key)?.[hook] as ((declaration: unknown, context: C) => unknown) | undefined;
      if (!fn) continue;
      let data: unknown;
      try {
        data = await fn(declaration, context);
        police?.check(key);
      } catch (error) {
        police?.undo();
        report(key, hook, error);
        continue;
      }
      if (data !== undefined) extensions = { ...extensions, [key]: data };
    }
    return extensions;
  }
}

function guard<T>(key: string, hook: string, run: () => T, fallback: T): T {
  try {
    return run();
  } catch (error) {
    report(key, hook, error);
    return fallback;
  }
}

function report(key: string, hook: string, error: unknown): void {
  console.error(`[x402kit] extension "${key}" ${hook} threw; the payment went on without it:`, error);
}
