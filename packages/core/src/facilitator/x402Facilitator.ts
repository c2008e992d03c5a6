import { type PaymentHookContext, PaymentLifecycle } from "../lifecycle.js";
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
import type { FacilitatorContext, SchemeFacilitator } from "../schemes/index.js";

/** Context of every facilitator hook. */
export type FacilitatorHookContext = PaymentHookContext;

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
export class x402Facilitator extends PaymentLifecycle {
  private readonly schemes = new SchemeRegistry<SchemeFacilitator>();
  private readonly kinds: Array<{ x402Version: number; network: string; impl: SchemeFacilitator }> = [];
  private readonly extensions = new Map<string, unknown>();
  private readonly context: FacilitatorContext = { getExtension: (key) => this.extensions.get(key) };

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

  /** Check a payment without moving money. Never throws. */
  verify(paymentPayload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    const scheme = this.route(paymentPayload, requirements);
    return this.runVerify({ paymentPayload, requirements }, async () =>
      typeof scheme === "string"
        ? invalidVerification(scheme)
        : scheme.verify(paymentPayload, requirements, this.context),
    );
  }

  /** Put a verified payment on chain. Never throws. */
  settle(paymentPayload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    const scheme = this.route(paymentPayload, requirements);
    return this.runSettle({ paymentPayload, requirements }, async () =>
      typeof scheme === "string"
        ? failedSettlement(requirements.network, scheme)
        : scheme.settle(paymentPayload, requirements, this.context),
    );
  }

  /** The scheme for a request, or the reason there is none. */
  private route(payload: PaymentPayload, requirements: PaymentRequirements): SchemeFacilitator | string {
    if (payload.x402Version !== 2) return "invalid_x402_version";
    const scheme = this.schemes.find(payload.x402Version, requirements.network, requirements.scheme);
    if (scheme) return scheme;
    const knowsNetwork = this.kinds.some((k) => networkMatches(k.network, requirements.network));
    return knowsNetwork ? "unsupported_scheme" : "invalid_network";
  }
}
