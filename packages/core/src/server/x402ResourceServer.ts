import { X402Error } from "../errors.js";
import { HTTPFacilitatorClient } from "../http/facilitatorClient.js";
import { PaymentLifecycle } from "../lifecycle.js";
import { findMatchingRequirements } from "../protocol/match.js";
import { SchemeRegistry } from "../protocol/registry.js";
import type {
  Network,
  PaymentPayload,
  PaymentRequired,
  PaymentRequirements,
  Price,
  ResourceInfo,
  SettleResponse,
  SupportedKind,
} from "../protocol/types.js";
import type { FacilitatorClient, SchemeServer, SchemeVerifyResponse } from "../schemes/index.js";
import { canonicalJson } from "../utils/json.js";
import { assertSettleResponseCoreUnchanged, snapshotSettleResponseCore } from "./enrichmentPolicy.js";
import { type ResourceServerExtension, ServerExtensions } from "./extensions.js";
import { type FacilitatorKind, FacilitatorKinds } from "./facilitatorKinds.js";
import { chargedRequirements, type SettlementOverrides } from "./settlementOverrides.js";

/** The public facilitator the official SDK uses when none is configured. */
export const DEFAULT_FACILITATOR_URL = "https://x402.org/facilitator";

/** A payment option with its dynamic parts resolved (the official `ResourceConfig`). */
export interface ResolvedPaymentOption {
  scheme: string;
  network: string;
  payTo: string;
  price: Price;
  maxTimeoutSeconds?: number;
  extra?: Record<string, unknown>;
}

/** Context of the resource-server hooks. */
export type { PaymentHookContext } from "../lifecycle.js";

/**
 * The resource-server engine: builds payment requirements from prices, and verifies and
 * settles payments — through the scheme's own server logic when it has some (vouchers),
 * else through the facilitator that serves the kind. Call {@link initialize} once at
 * start-up so that misconfiguration fails early.
 *
 * @example
 * ```ts
 * const server = new x402ResourceServer(new HTTPFacilitatorClient({ url }))
 *   .register("eip155:*", new ExactEvmScheme());
 * await server.initialize();
 * ```
 */
export class x402ResourceServer extends PaymentLifecycle {
  private readonly facilitators: FacilitatorClient[];
  private readonly schemes = new SchemeRegistry<SchemeServer>();
  private readonly kinds = new FacilitatorKinds();
  private readonly extensions = new ServerExtensions();
  /** Scheme and facilitator of each built requirement, so the paid path looks nothing up. */
  private readonly resolved = new WeakMap<PaymentRequirements, Resolved>();
  private initialization: Promise<void> | undefined;

  constructor(facilitators?: FacilitatorClient | readonly FacilitatorClient[]) {
    super();
    const list =
      facilitators === undefined ? [] : Array.isArray(facilitators) ? [...facilitators] : [facilitators];
    this.facilitators =
      list.length > 0
        ? (list as FacilitatorClient[])
        : [new HTTPFacilitatorClient({ url: DEFAULT_FACILITATOR_URL })];
  }

  /**
   * Register the server side of a scheme for a network or pattern (`eip155:*`), for x402
   * version 2 unless told otherwise.
   */
  register(network: string, scheme: SchemeServer, x402Version = 2): this {
    this.schemes.add(x402Version, network, scheme);
    return this;
  }

  /** True when a scheme server is registered for this network and scheme. */
  hasRegisteredScheme(network: string, scheme: string, x402Version = 2): boolean {
    return this.schemes.has(x402Version, network, scheme);
  }

  /** The scheme server registered for this network and scheme, if any. */
  getRegisteredScheme(network: string, scheme: string, x402Version = 2): SchemeServer | undefined {
    return this.schemes.find(x402Version, network, scheme);
  }

  /** Decimals of the requirements' asset for display; 6 when the scheme does not know. */
  getAssetDecimalsForRequirements(requirements: PaymentRequirements): number {
    return this.assetDecimals(2, requirements) ?? 6;
  }

  /** Register an extension that enriches the 402, verification and settlement answers of routes declaring it. */
  registerExtension(extension: ResourceServerExtension): this {
    this.extensions.add(extension);
    return this;
  }

  hasExtension(key: string): boolean {
    return this.extensions.has(key);
  }

  getExtensions(): ResourceServerExtension[] {
    return this.extensions.list();
  }

  /** The route's declarations after each registered extension's `enrichDeclaration`. */
  enrichExtensions(
    declaredExtensions: Record<string, unknown>,
    transportContext: unknown,
  ): Record<string, unknown> {
    return this.extensions.enrichDeclarations(declaredExtensions, transportContext);
  }

  /**
   * Fetch `/supported` from every facilitator (once; a failure is retried on the next call).
   * Earlier facilitators win for a kind they share.
   */
  initialize(): Promise<void> {
    this.initialization ??= this.kinds
      .load(this.facilitators, (kind) => this.schemes.find(kind.x402Version, kind.network, kind.scheme))
      .catch((error) => {
        this.initialization = undefined;
        throw error;
      });
    return this.initialization;
  }

  /** The facilitator's `/supported` kind for a version, network and scheme (after {@link initialize}). */
  getSupportedKind(x402Version: number, network: string, scheme: string): SupportedKind | undefined {
    return this.kinds.get(x402Version, network, scheme)?.kind;
  }

  /** The extensions of the facilitator serving a kind (after {@link initialize}). */
  getFacilitatorExtensions(x402Version: number, network: string, scheme: string): string[] {
    return this.kinds.get(x402Version, network, scheme)?.extensions ?? [];
  }

  /** Why `option` cannot be served, or `undefined` (call after {@link initialize}). */
  problemWith(option: {
    scheme: string;
    network: string;
  }): { reason: "missing_scheme" | "missing_facilitator"; message: string } | undefined {
    if (!this.schemes.has(2, option.network, option.scheme))
      return {
        reason: "missing_scheme",
        message: `no scheme server registered for "${option.scheme}" on ${option.network}`,
      };
    if (!this.kinds.get(2, option.network, option.scheme))
      return {
        reason: "missing_facilitator",
        message: `no facilitator supports "${option.scheme}" on ${option.network}`,
      };
    return undefined;
  }

  /** The `accepts[]` entry of one resolved payment option (official shape: a one-entry list). */
  async buildPaymentRequirements(option: ResolvedPaymentOption): Promise<PaymentRequirements[]> {
    return [await this.buildRequirements(option)];
  }

  /** `accepts[]` of several options, resolving function-valued `payTo` / `price` with `context`. */
  buildPaymentRequirementsFromOptions<C>(
    options: ReadonlyArray<
      Omit<ResolvedPaymentOption, "payTo" | "price"> & {
        payTo: string | ((context: C) => string | Promise<string>);
        price: Price | ((context: C) => Price | Promise<Price>);
      }
    >,
    context: C,
  ): Promise<PaymentRequirements[]> {
    return Promise.all(
      options.map(async (o) =>
        this.buildRequirements({
          ...o,
          payTo: typeof o.payTo === "function" ? await o.payTo(context) : o.payTo,
          price: typeof o.price === "function" ? await o.price(context) : o.price,
        }),
      ),
    );
  }

  /** Turn a resolved payment option into one `accepts[]` entry. Deterministic for equal inputs. */
  async buildRequirements(option: ResolvedPaymentOption): Promise<PaymentRequirements> {
    await this.initialize();
    const problem = this.problemWith(option);
    if (problem) throw new X402Error("invalid_route_config", problem.message);
    const scheme = this.schemes.find(2, option.network, option.scheme) as SchemeServer;
    const { amount, asset, extra } = await scheme.parsePrice(option.price, option.network as Network);
    let requirements: PaymentRequirements = {
      scheme: option.scheme,
      network: option.network,
      amount,
      asset,
      payTo: option.payTo,
      maxTimeoutSeconds: option.maxTimeoutSeconds ?? 300,
      extra: { ...(extra ?? {}), ...(option.extra ?? {}) },
    };
    const facilitator = this.kinds.get(2, option.network, option.scheme) as FacilitatorKind;
    if (scheme.enhancePaymentRequirements)
      requirements = await scheme.enhancePaymentRequirements(
        requirements,
        facilitator.kind,
        facilitator.extensions,
      );
    this.resolved.set(requirements, { scheme, facilitator: facilitator.client });
    return requirements;
  }

  /** The 402 body, with each declared extension enriched by its registered extension. */
  async createPaymentRequiredResponse(
    requirements: PaymentRequirements[],
    resourceInfo: ResourceInfo,
    error?: string,
    extensions?: Record<string, unknown>,
    transportContext?: unknown,
  ): Promise<PaymentRequired> {
    const paymentRequired: PaymentRequired = {
      x402Version: 2,
      resource: resourceInfo,
      accepts: requirements,
    };
    if (error !== undefined) paymentRequired.error = error;
    if (!extensions) return paymentRequired;
    if (!this.extensions.applies(extensions)) {
      paymentRequired.extensions = extensions;
      return paymentRequired;
    }
    return this.extensions.enrichPaymentRequired(paymentRequired, extensions, transportContext);
  }

  /** The offer a payload answers: core fields equal (addresses by the scheme's rule), declared `extra` present. */
  findMatchingRequirements(
    available: readonly PaymentRequirements[],
    paymentPayload: PaymentPayload,
  ): PaymentRequirements | undefined {
    return findMatchingRequirements(available, paymentPayload.accepted, this.matchRules);
  }

  /** The scheme's comparison rules for an offer (for `findMatchingRequirements` / `explainMismatch`). */
  readonly matchRules = (offer: PaymentRequirements): SchemeServer | undefined =>
    this.schemes.find(2, offer.network, offer.scheme);

  /** A stable id of the money a payload moves, used to stop concurrent duplicates. */
  paymentId(payload: PaymentPayload, requirements?: PaymentRequirements): string {
    const scheme =
      (requirements && this.resolved.get(requirements)?.scheme) ??
      this.schemes.find(payload.x402Version, payload.accepted.network, payload.accepted.scheme);
    return scheme?.paymentId?.(payload) ?? `${payload.accepted.network}|${canonicalJson(payload.payload)}`;
  }

  /**
   * Verify: with the scheme's own `verifyPayment` when it has one, else through the facilitator
   * that serves the kind. Throws only if that fails and no `onVerifyFailure` hook recovers (the
   * pipeline answers 502 then).
   */
  async verifyPayment(
    paymentPayload: PaymentPayload,
    requirements: PaymentRequirements,
    declaredExtensions?: Record<string, unknown>,
    transportContext?: unknown,
  ): Promise<SchemeVerifyResponse> {
    const { scheme, facilitator } = this.resolve(paymentPayload.x402Version, requirements);
    const ctx = { paymentPayload, requirements, declaredExtensions, transportContext };
    const result: SchemeVerifyResponse = await this.runVerify(
      ctx,
      () =>
        scheme?.verifyPayment
          ? scheme.verifyPayment(paymentPayload, requirements, schemeContext(facilitator, ctx))
          : required(facilitator, requirements).verify(paymentPayload, requirements),
      (error) => {
        throw error;
      },
    );
    if (!this.extensions.applies(declaredExtensions)) return result;
    const extensions = await this.extensions.enrich(
      "enrichVerifyResponse",
      declaredExtensions,
      { ...ctx, declaredExtensions, result },
      result.extensions ?? undefined,
    );
    return extensions === result.extensions ? result : { ...result, extensions };
  }

  /**
   * Settle what the handler reports: `settlementOverrides.amount` (atomic, `"50%"` or `"$0.05"`)
   * becomes `requirements.amount` of the settlement. A charge above the authorised amount is
   * refused with `invalid_settlement_amount` (thrown; nothing settled). A zero charge moves no
   * money: unless the scheme settles itself, no facilitator is called and the receipt is a
   * success without transaction. Otherwise never throws: failures come back as `success: false`.
   */
  async settlePayment(
    paymentPayload: PaymentPayload,
    requirements: PaymentRequirements,
    declaredExtensions?: Record<string, unknown>,
    transportContext?: unknown,
    settlementOverrides?: SettlementOverrides,
  ): Promise<SettleResponse> {
    const { scheme, facilitator } = this.resolve(paymentPayload.x402Version, requirements);
    const charged = chargedRequirements(scheme, requirements, settlementOverrides);
    const ctx = { paymentPayload, requirements: charged, declaredExtensions, transportContext };
    const result = await this.runSettle(ctx, async () => {
      if (scheme?.settlePayment)
        return scheme.settlePayment(paymentPayload, charged, schemeContext(facilitator, ctx));
      if (charged.amount === "0")
        return { success: true, transaction: "", network: charged.network, amount: "0" };
      const client = required(facilitator, charged);
      const first = await client.settle(paymentPayload, charged);
      // Broadcast but unconfirmed: ask once more, so the facilitator can wait on the same transaction.
      if (!first.success && first.errorReason === "settlement_pending")
        return client.settle(paymentPayload, charged);
      return first;
    });
    if (!this.extensions.applies(declaredExtensions)) return result;
    const core = snapshotSettleResponseCore(result);
    const extensions = await this.extensions.enrich(
      "enrichSettlementResponse",
      declaredExtensions,
      { ...ctx, declaredExtensions, result },
      result.extensions ?? undefined,
      {
        check: (key) => assertSettleResponseCoreUnchanged(core, result, key),
        undo: () => Object.assign(result, core),
      },
    );
    return extensions === result.extensions ? result : { ...result, extensions };
  }

  /** A verified payment was given up (handler failed): let the scheme undo its reservation. Never throws. */
  async releasePayment(paymentPayload: PaymentPayload, requirements: PaymentRequirements): Promise<void> {
    const { scheme } = this.resolve(paymentPayload.x402Version, requirements);
    if (!scheme?.releasePayment) return;
    try {
      await scheme.releasePayment(paymentPayload, requirements);
    } catch (error) {
      console.error("[x402kit] a scheme's releasePayment threw:", error);
    }
  }

  private assetDecimals(version: number, requirements: PaymentRequirements): number | undefined {
    return this.resolve(version, requirements).scheme?.getAssetDecimals?.(
      requirements.asset,
      requirements.network,
    );
  }

  /** The scheme and facilitator of requirements: remembered for built ones, else looked up. */
  private resolve(version: number, requirements: PaymentRequirements): Resolved {
    return (
      this.resolved.get(requirements) ?? {
        scheme: this.schemes.find(version, requirements.network, requirements.scheme),
        facilitator: this.kinds.get(version, requirements.network, requirements.scheme)?.client,
      }
    );
  }
}

interface Resolved {
  scheme: SchemeServer | undefined;
  facilitator: FacilitatorClient | undefined;
}

function required(
  facilitator: FacilitatorClient | undefined,
  requirements: PaymentRequirements,
): FacilitatorClient {
  if (!facilitator)
    throw new X402Error(
      "facilitator_unsupported",
      `no facilitator supports ${requirements.scheme} on ${requirements.network}`,
    );
  return facilitator;
}

function schemeContext(
  facilitator: FacilitatorClient | undefined,
  ctx: { declaredExtensions: Record<string, unknown> | undefined; transportContext: unknown },
) {
  return { facilitator, declaredExtensions: ctx.declaredExtensions, transportContext: ctx.transportContext };
}
