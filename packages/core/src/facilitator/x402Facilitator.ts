import { X402Error } from "../errors.js";
import { type PaymentHookContext, PaymentLifecycle } from "../lifecycle.js";
import { networkMatches, SchemeRegistry } from "../protocol/registry.js";
import { failedSettlement, invalidVerification } from "../protocol/results.js";
import type {
  PaymentPayload,
  PaymentPayloadV1,
  PaymentRequirements,
  PaymentRequirementsV1,
  SettleResponse,
  SupportedKind,
  SupportedResponse,
  VerifyResponse,
} from "../protocol/types.js";
import type {
  FacilitatorContext,
  FacilitatorExtension,
  FacilitatorExtensionRoute,
  SchemeFacilitator,
} from "../schemes/index.js";

/** Context of every facilitator hook. */
export type FacilitatorHookContext = PaymentHookContext;

/** A payload of either protocol version; `x402Version` picks the registry. */
export type AnyPaymentPayload = PaymentPayload | PaymentPayloadV1;
/** Requirements of either protocol version. */
export type AnyPaymentRequirements = PaymentRequirements | PaymentRequirementsV1;

/** `/supported` with the data extensions publish. */
export type FacilitatorSupportedResponse = SupportedResponse & { extensionData?: Record<string, unknown> };

interface Kind {
  x402Version: number;
  network: string;
  impl: SchemeFacilitator;
}

/**
 * The facilitator engine: dispatches verify / settle to the scheme registered for the
 * payload's version (`x402Version` 2 via {@link register}, 1 via {@link registerV1}),
 * network and scheme, and describes itself for `/supported`. It never throws for a bad
 * payment; failures come back as typed results.
 *
 * @example
 * ```ts
 * const facilitator = new x402Facilitator().register("eip155:8453", new ExactEvmScheme(signer));
 * const result = await facilitator.verify(payload, requirements);
 * ```
 */
export class x402Facilitator extends PaymentLifecycle {
  private readonly schemes = new SchemeRegistry<SchemeFacilitator>();
  private readonly kinds: Kind[] = [];
  private readonly extensions = new Map<string, FacilitatorExtension>();
  private readonly context: FacilitatorContext = {
    getExtension: <T extends FacilitatorExtension>(key: string) => this.extensions.get(key) as T | undefined,
  };

  /** Register a v2 scheme for one or more concrete networks (listed in `/supported`). */
  register(networks: string | readonly string[], scheme: SchemeFacilitator): this {
    return this.add(2, networks, scheme);
  }

  /** Register a v1 scheme for legacy network names (`base`, `base-sepolia`, …). */
  registerV1(networks: string | readonly string[], scheme: SchemeFacilitator): this {
    return this.add(1, networks, scheme);
  }

  private add(x402Version: 1 | 2, networks: string | readonly string[], scheme: SchemeFacilitator): this {
    for (const network of typeof networks === "string" ? [networks] : networks) {
      this.schemes.add(x402Version, network, scheme);
      this.kinds.push({ x402Version, network, impl: scheme });
    }
    return this;
  }

  /**
   * Register a facilitator extension: an official-style `{ key, …capabilities }` object or
   * ours with `supported()` and `routes`. Its key is listed in `/supported.extensions`.
   * `registerExtension(key, value?)` is kept for code written against earlier releases.
   *
   * @throws {X402Error} `invalid_extension` for an empty key, a duplicate key or a route without a path.
   */
  registerExtension(extension: FacilitatorExtension | string, legacyValue?: unknown): this {
    const ext: FacilitatorExtension =
      typeof extension === "string"
        ? { key: extension, ...(legacyValue === undefined ? {} : { value: legacyValue }) }
        : extension;
    if (typeof ext?.key !== "string" || ext.key === "")
      throw new X402Error("invalid_extension", "a facilitator extension needs a non-empty key");
    if (this.extensions.has(ext.key))
      throw new X402Error("invalid_extension", `extension "${ext.key}" is already registered`);
    for (const route of ext.routes ?? [])
      if (!route.path?.startsWith("/") || !route.method || typeof route.handle !== "function")
        throw new X402Error(
          "invalid_extension",
          `extension "${ext.key}" has a route without method, /path or handle`,
        );
    this.extensions.set(ext.key, ext);
    return this;
  }

  /** Keys of the registered extensions. */
  getExtensions(): string[] {
    return [...this.extensions.keys()];
  }

  /** A registered extension by key. */
  getExtension<T extends FacilitatorExtension = FacilitatorExtension>(key: string): T | undefined {
    return this.extensions.get(key) as T | undefined;
  }

  /** Endpoints the registered extensions add, in registration order. */
  getExtensionRoutes(): FacilitatorExtensionRoute[] {
    return [...this.extensions.values()].flatMap((ext) => [...(ext.routes ?? [])]);
  }

  /** What this facilitator can verify and settle, for `GET /supported`. */
  getSupported(): FacilitatorSupportedResponse {
    const kinds: SupportedKind[] = [];
    const signers: Record<string, string[]> = {};
    for (const { x402Version, network, impl } of this.kinds) {
      const extra = impl.getExtra(network);
      kinds.push({ x402Version, scheme: impl.scheme, network, ...(extra ? { extra } : {}) });
      signers[impl.caipFamily] ??= [];
      const family = signers[impl.caipFamily] as string[];
      for (const signer of impl.getSigners(network)) if (!family.includes(signer)) family.push(signer);
    }
    const extensionData: Record<string, unknown> = {};
    for (const ext of this.extensions.values()) {
      if (typeof ext.supported !== "function") continue;
      try {
        extensionData[ext.key] = ext.supported();
      } catch {
        // One broken extension must not take /supported (and every server's start-up) down.
      }
    }
    return {
      kinds,
      extensions: this.getExtensions(),
      signers,
      ...(Object.keys(extensionData).length > 0 ? { extensionData } : {}),
    };
  }

  /** Check a payment without moving money. Never throws. */
  verify(paymentPayload: AnyPaymentPayload, requirements: AnyPaymentRequirements): Promise<VerifyResponse> {
    const scheme = this.route(paymentPayload, requirements);
    const ctx = { paymentPayload, requirements } as PaymentHookContext;
    return this.runVerify(ctx, async () =>
      typeof scheme === "string"
        ? invalidVerification(scheme)
        : scheme.verify(ctx.paymentPayload, ctx.requirements, this.context),
    );
  }

  /** Put a verified payment on chain. Never throws. */
  settle(paymentPayload: AnyPaymentPayload, requirements: AnyPaymentRequirements): Promise<SettleResponse> {
    const scheme = this.route(paymentPayload, requirements);
    const ctx = { paymentPayload, requirements } as PaymentHookContext;
    return this.runSettle(ctx, async () =>
      typeof scheme === "string"
        ? failedSettlement(requirements.network, scheme)
        : scheme.settle(ctx.paymentPayload, ctx.requirements, this.context),
    );
  }

  /** The scheme for a request, or the reason there is none. */
  private route(
    payload: AnyPaymentPayload,
    requirements: AnyPaymentRequirements,
  ): SchemeFacilitator | string {
    const version = payload.x402Version;
    if (version !== 1 && version !== 2) return "invalid_x402_version";
    const scheme = this.schemes.find(version, requirements.network, requirements.scheme);
    if (scheme) return scheme;
    const knowsNetwork = this.kinds.some(
      (k) => k.x402Version === version && networkMatches(k.network, requirements.network),
    );
    return knowsNetwork ? "unsupported_scheme" : "invalid_network";
  }
}
