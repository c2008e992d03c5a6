import { describeError } from "../errors.js";
import { type AbortResult, HookList } from "../hooks.js";
import { networkMatches, SchemeRegistry } from "../protocol/registry.js";
import { failedSettlement, invalidVerification } from "../protocol/results.js";
import type {
  PaymentPayload,
  PaymentRequirements,
  SettleResponse,
  SupportedKind,
  SupportedResponse,
  VerifyResponse,
} from "../protocol/types.js";
import type { FacilitatorContext, SchemeFacilitator } from "../schemes.js";

/** Context of every facilitator hook. */
export interface FacilitatorHookContext {
  paymentPayload: PaymentPayload;
  requirements: PaymentRequirements;
}

type Recovery<T> = { recovered: true; result: T };

/**
 * The facilitator engine: dispatches verify / settle to the scheme registered for the
 * payload's version, network and scheme, and describes itself for `/supported`.
 * It never throws for a bad payment; failures come back as typed results.
 *
 * @example
 * ```ts
 * const facilitator = new x402Facilitator().register("eip155:8453", new ExactEvmFacilitator(signer));
 * const result = await facilitator.verify(payload, requirements);
 * ```
 */
export class x402Facilitator {
  private readonly schemes = new SchemeRegistry<SchemeFacilitator>();
  private readonly kinds: Array<{ x402Version: number; network: string; impl: SchemeFacilitator }> = [];
  private readonly extensions = new Map<string, unknown>();
  private readonly context: FacilitatorContext = { getExtension: (key) => this.extensions.get(key) };
  private readonly hooks = {
    beforeVerify: new HookList<FacilitatorHookContext, AbortResult>("before_verify_hook_error"),
    afterVerify: new HookList<FacilitatorHookContext & { result: VerifyResponse }>(),
    verifyFailure: new HookList<
      FacilitatorHookContext & { result?: VerifyResponse; error?: unknown },
      Recovery<VerifyResponse>
    >(),
    beforeSettle: new HookList<FacilitatorHookContext, AbortResult>("before_settle_hook_error"),
    afterSettle: new HookList<FacilitatorHookContext & { result: SettleResponse }>(),
    settleFailure: new HookList<
      FacilitatorHookContext & { result?: SettleResponse; error?: unknown },
      Recovery<SettleResponse>
    >(),
  };

  /** Register a scheme for one or more concrete networks (listed in `/supported`). */
  register(networks: string | readonly string[], scheme: SchemeFacilitator): this {
    for (const network of typeof networks === "string" ? [networks] : networks) {
      this.schemes.add(2, network, scheme);
      this.kinds.push({ x402Version: 2, network, impl: scheme });
    }
    return this;
  }

  /** Register a facilitator extension; its key is listed in `/supported.extensions`. */
  registerExtension(key: string, extension: unknown = true): this {
    this.extensions.set(key, extension);
    return this;
  }

  onBeforeVerify(
    hook: (ctx: FacilitatorHookContext) => AbortResult | undefined | Promise<AbortResult | undefined>,
  ): this {
    this.hooks.beforeVerify.add(hook);
    return this;
  }
  onAfterVerify(
    hook: (ctx: FacilitatorHookContext & { result: VerifyResponse }) => void | Promise<void>,
  ): this {
    this.hooks.afterVerify.add(hook);
    return this;
  }
  /** Runs for invalid results and thrown errors; may return `{ recovered: true, result }`. */
  onVerifyFailure(
    hook: (
      ctx: FacilitatorHookContext & { result?: VerifyResponse; error?: unknown },
    ) => Recovery<VerifyResponse> | undefined | Promise<Recovery<VerifyResponse> | undefined>,
  ): this {
    this.hooks.verifyFailure.add(hook);
    return this;
  }
  onBeforeSettle(
    hook: (ctx: FacilitatorHookContext) => AbortResult | undefined | Promise<AbortResult | undefined>,
  ): this {
    this.hooks.beforeSettle.add(hook);
    return this;
  }
  onAfterSettle(
    hook: (ctx: FacilitatorHookContext & { result: SettleResponse }) => void | Promise<void>,
  ): this {
    this.hooks.afterSettle.add(hook);
    return this;
  }
  onSettleFailure(
    hook: (
      ctx: FacilitatorHookContext & { result?: SettleResponse; error?: unknown },
    ) => Recovery<SettleResponse> | undefined | Promise<Recovery<SettleResponse> | undefined>,
  ): this {
    this.hooks.settleFailure.add(hook);
    return this;
  }

  /** What this facilitator can verify and settle, for `GET /supported`. */
  getSupported(): SupportedResponse {
    const kinds: SupportedKind[] = [];
    const signers: Record<string, string[]> = {};
    for (const { x402Version, network, impl } of this.kinds) {
      const extra = impl.getExtra(network);
      kinds.push({ x402Version, scheme: impl.scheme, network, ...(extra ? { extra } : {}) });
      signers[impl.caipFamily] ??= [];
      const family = signers[impl.caipFamily] as string[];
      for (const signer of impl.getSigners(network)) if (!family.includes(signer)) family.push(signer);
    }
    return { kinds, extensions: [...this.extensions.keys()], signers };
  }

  /** Check a payment without moving money. */
  async verify(paymentPayload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    const ctx = { paymentPayload, requirements };
    const scheme = this.route(paymentPayload, requirements);
    if (typeof scheme === "string") return this.verifyFailed(ctx, invalidVerification(scheme));
    const abort = await this.hooks.beforeVerify.first(ctx);
    if (abort?.abort) return invalidVerification(abort.reason, abort.message);
    let result: VerifyResponse;
    try {
      result = await scheme.verify(paymentPayload, requirements, this.context);
    } catch (error) {
      const recovered = await this.hooks.verifyFailure.first({ ...ctx, error });
      if (recovered?.recovered) return recovered.result;
      return invalidVerification("unexpected_verify_error", describeError(error));
    }
    if (!result.isValid) return this.verifyFailed(ctx, result);
    await this.hooks.afterVerify.all({ ...ctx, result });
    return result;
  }

  /** Put a verified payment on chain. */
  async settle(paymentPayload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    const ctx = { paymentPayload, requirements };
    const failed = (reason: string, message?: string) =>
      failedSettlement(requirements.network, reason, message);
    const scheme = this.route(paymentPayload, requirements);
    if (typeof scheme === "string") return this.settleFailed(ctx, failed(scheme));
    const abort = await this.hooks.beforeSettle.first(ctx);
    if (abort?.abort) return failed(abort.reason, abort.message);
    let result: SettleResponse;
    try {
      result = await scheme.settle(paymentPayload, requirements, this.context);
    } catch (error) {
      const recovered = await this.hooks.settleFailure.first({ ...ctx, error });
      if (recovered?.recovered) return recovered.result;
      return failed("unexpected_settle_error", describeError(error));
    }
    if (!result.success) return this.settleFailed(ctx, result);
    await this.hooks.afterSettle.all({ ...ctx, result });
    return result;
  }

  /** The scheme for a request, or the reason there is none. */
  private route(payload: PaymentPayload, requirements: PaymentRequirements): SchemeFacilitator | string {
    if (payload.x402Version !== 2) return "invalid_x402_version";
    const scheme = this.schemes.find(payload.x402Version, requirements.network, requirements.scheme);
    if (scheme) return scheme;
    const knowsNetwork = this.kinds.some((k) => networkMatches(k.network, requirements.network));
    return knowsNetwork ? "unsupported_scheme" : "invalid_network";
  }

  private async verifyFailed(ctx: FacilitatorHookContext, result: VerifyResponse): Promise<VerifyResponse> {
    const recovered = await this.hooks.verifyFailure.first({ ...ctx, result });
    return recovered?.recovered ? recovered.result : result;
  }

  private async settleFailed(ctx: FacilitatorHookContext, result: SettleResponse): Promise<SettleResponse> {
    const recovered = await this.hooks.settleFailure.first({ ...ctx, result });
    return recovered?.recovered ? recovered.result : result;
  }
}
