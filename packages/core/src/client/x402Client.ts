import { describeError, X402Error } from "../errors.js";
import { type AbortResult, HookList } from "../hooks.js";
import { networkMatches, SchemeRegistry } from "../protocol/registry.js";
import type { PaymentPayload, PaymentRequired, PaymentRequirements } from "../protocol/types.js";
import type { SchemeClient } from "../schemes/index.js";
import { type SpendingLimits, SpendingTracker } from "./limits.js";

/** Which requirement to prefer when several can be paid. */
export interface PaymentPreferences {
  /**
   * Networks (or `ns:*` patterns) the client may pay on, most preferred first. Requirements
   * on other networks are never paid: there is no silent fallback.
   */
  networks?: readonly string[];
  /** Schemes the client may use, most preferred first. */
  schemes?: readonly string[];
}

/** Reorders or filters candidate requirements. */
export type PaymentPolicy = (
  x402Version: number,
  requirements: PaymentRequirements[],
) => PaymentRequirements[];

/** Options of {@link x402Client}. */
export interface X402ClientOptions {
  limits?: SpendingLimits;
  preferences?: PaymentPreferences;
}

/** Context of the payment-creation hooks. */
export interface PaymentCreationHookContext {
  paymentRequired: PaymentRequired;
  requirements: PaymentRequirements;
}

/**
 * The client engine: picks a requirement it can pay, checks the spending limits, asks the
 * registered scheme to sign, and assembles the {@link PaymentPayload}.
 *
 * @example
 * ```ts
 * const client = new x402Client({ limits: { maxPerPayment: "$0.10" } })
 *   .register("eip155:*", new ExactEvmClient(account));
 * const payload = await client.createPaymentPayload(paymentRequired);
 * ```
 */
export class x402Client {
  private readonly schemes = new SchemeRegistry<SchemeClient>();
  private readonly policies: PaymentPolicy[] = [];
  private readonly spending: SpendingTracker;
  private readonly preferences: PaymentPreferences;
  private readonly beforeCreation = new HookList<PaymentCreationHookContext, AbortResult>(
    "before_payment_creation_hook_error",
  );
  private readonly afterCreation = new HookList<
    PaymentCreationHookContext & { paymentPayload: PaymentPayload }
  >();
  private readonly creationFailure = new HookList<
    PaymentCreationHookContext & { error: unknown },
    { recovered: true; payload: PaymentPayload }
  >();

  constructor(options: X402ClientOptions = {}) {
    this.spending = new SpendingTracker(options.limits);
    this.preferences = options.preferences ?? {};
  }

  /** Register a scheme client for a network or pattern (`eip155:*`). */
  register(network: string, scheme: SchemeClient): this {
    this.schemes.add(2, network, scheme);
    return this;
  }

  /** Add a policy that filters or reorders candidates (applied in order). */
  registerPolicy(policy: PaymentPolicy): this {
    this.policies.push(policy);
    return this;
  }

  /** Runs after selection, before signing; `{ abort: true, reason }` stops the payment. */
  onBeforePaymentCreation(
    hook: (ctx: PaymentCreationHookContext) => AbortResult | undefined | Promise<AbortResult | undefined>,
  ): this {
    this.beforeCreation.add(hook);
    return this;
  }

  /** Observes every created payload. */
  onAfterPaymentCreation(
    hook: (ctx: PaymentCreationHookContext & { paymentPayload: PaymentPayload }) => void | Promise<void>,
  ): this {
    this.afterCreation.add(hook);
    return this;
  }

  /** Runs when signing fails; `{ recovered: true, payload }` substitutes a payload. */
  onPaymentCreationFailure(
    hook: (
      ctx: PaymentCreationHookContext & { error: unknown },
    ) =>
      | { recovered: true; payload: PaymentPayload }
      | undefined
      | Promise<{ recovered: true; payload: PaymentPayload } | undefined>,
  ): this {
    this.creationFailure.add(hook);
    return this;
  }

  /**
   * The requirement this client would pay, or a typed error explaining why none qualifies
   * (`no_matching_requirements`, `spending_limit_exceeded`).
   */
  selectRequirements(paymentRequired: PaymentRequired): PaymentRequirements {
    const version = paymentRequired.x402Version;
    let candidates = paymentRequired.accepts.filter(
      (r) => this.schemes.has(version, r.network, r.scheme) && this.preferred(r),
    );
    if (candidates.length === 0) {
      const offered = paymentRequired.accepts.map((r) => `${r.scheme}@${r.network}`).join(", ") || "nothing";
      throw new X402Error(
        "no_matching_requirements",
        `no registered scheme/network can pay any of: ${offered}`,
        {
          details: { offered: paymentRequired.accepts },
        },
      );
    }
    candidates = this.sortByPreference(candidates);
    const refusals: string[] = [];
    candidates = candidates.filter((r) => {
      const reason = this.spending.refusal(r, this.assetInfo(r));
      if (reason) refusals.push(reason);
      return !reason;
    });
    if (candidates.length === 0) throw new X402Error("spending_limit_exceeded", refusals.join("; "));
    for (const policy of this.policies) candidates = policy(version, candidates);
    const chosen = candidates[0];
    if (!chosen)
      throw new X402Error("no_matching_requirements", "every requirement was filtered out by policies");
    return chosen;
  }

  /** Select, check limits, sign and assemble a payment for a 402 answer. */
  async createPaymentPayload(paymentRequired: PaymentRequired): Promise<PaymentPayload> {
    const requirements = this.selectRequirements(paymentRequired);
    const context = { paymentRequired, requirements };
    const abort = await this.beforeCreation.first(context);
    if (abort?.abort)
      throw new X402Error("payment_creation_aborted", abort.message ?? abort.reason, {
        details: { reason: abort.reason },
      });
    // Reserved before signing, so concurrent payments cannot all pass the same total cap.
    const unreserve = this.spending.reserve(requirements, this.assetInfo(requirements));
    let paymentPayload: PaymentPayload;
    try {
      paymentPayload = await this.sign(paymentRequired, requirements);
    } catch (error) {
      const recovered = await this.creationFailure.first({ ...context, error });
      if (!recovered?.recovered) {
        unreserve();
        throw wrapSigningError(error);
      }
      paymentPayload = recovered.payload;
    }
    await this.afterCreation.all({ ...context, paymentPayload });
    return paymentPayload;
  }

  private async sign(
    paymentRequired: PaymentRequired,
    requirements: PaymentRequirements,
  ): Promise<PaymentPayload> {
    const scheme = this.schemes.find(paymentRequired.x402Version, requirements.network, requirements.scheme)!;
    const result = await scheme.createPaymentPayload(paymentRequired.x402Version, requirements, {
      extensions: paymentRequired.extensions ?? undefined,
    });
    const extensions = { ...(paymentRequired.extensions ?? {}), ...(result.extensions ?? {}) };
    return {
      x402Version: 2,
      resource: paymentRequired.resource,
      accepted: requirements,
      payload: result.payload,
      ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
    };
  }

  private preferred(requirements: PaymentRequirements): boolean {
    const { networks, schemes } = this.preferences;
    if (networks && !networks.some((p) => networkMatches(p, requirements.network))) return false;
    return !schemes || schemes.includes(requirements.scheme);
  }

  private sortByPreference(candidates: PaymentRequirements[]): PaymentRequirements[] {
    const { networks, schemes } = this.preferences;
    const rank = (r: PaymentRequirements) =>
      (networks ? networks.findIndex((p) => networkMatches(p, r.network)) : 0) * 1000 +
      (schemes ? schemes.indexOf(r.scheme) : 0);
    return networks || schemes ? [...candidates].sort((a, b) => rank(a) - rank(b)) : candidates;
  }

  private assetInfo(requirements: PaymentRequirements) {
    return this.schemes
      .find(2, requirements.network, requirements.scheme)
      ?.describeAsset?.(requirements.network, requirements.asset);
  }
}

function wrapSigningError(error: unknown): X402Error {
  if (error instanceof X402Error) return error;
  return new X402Error("payment_creation_failed", `could not sign the payment: ${describeError(error)}`, {
    cause: error,
  });
}
