import { describeError, X402Error } from "../errors.js";
import { SchemeRegistry } from "../protocol/registry.js";
import type {
  PaymentPayload,
  PaymentPayloadV1,
  PaymentRequired,
  PaymentRequiredV1,
  PaymentRequirements,
} from "../protocol/types.js";
import type {
  AfterPaymentCreationHook,
  AnyPaymentPayload,
  BeforePaymentCreationHook,
  DefaultAsset,
  OnPaymentCreationFailureHook,
  OnPaymentResponseHook,
  PaymentCreationContext,
  PaymentResponseContext,
  SchemeClient,
} from "../schemes/client.js";
import type { KeyValueStore } from "../storage/keyValueStore.js";
import { assembleV1, assembleV2, wrapSigningError } from "./assemblePayload.js";
import { type ClientExtension, ClientHooks, everyAnswer, firstAnswer, notifyAll } from "./clientHooks.js";
import {
  type AnyPaymentRequired,
  applyPreferences,
  candidatesOf,
  mergeExtensions,
  type PaymentPreferences,
} from "./selection.js";
import { type SpendControls, SpendingTracker } from "./spendControls.js";
import { memorySpendingTotals, storeSpendingTotals } from "./spendingTotals.js";

/** Picks the requirement to pay among those left after controls and policies (default: the first). */
export type SelectPaymentRequirements = (
  x402Version: number,
  requirements: PaymentRequirements[],
) => PaymentRequirements;

/** Filters or reorders candidate requirements; policies run in registration order. */
export type PaymentPolicy = (
  x402Version: number,
  requirements: PaymentRequirements[],
) => PaymentRequirements[];

/** One scheme registration of {@link x402ClientConfig}. */
export interface SchemeRegistration {
  network: string;
  client: SchemeClient;
  /** `1` registers through `registerV1`. Default `2`. */
  x402Version?: number;
}

/** Options of {@link x402Client} (all optional). */
export interface X402ClientOptions {
  /** What the client may pay; default: the schemes' USD assets, at most `$1` each. */
  spendControls?: SpendControls | false;
  /** Networks and schemes to pay on, most preferred first; others are never paid. */
  preferences?: PaymentPreferences;
  paymentRequirementsSelector?: SelectPaymentRequirements;
  policies?: readonly PaymentPolicy[];
  /** Keep spending totals here (e.g. SQLite) so a budget survives restarts; default: in memory. */
  store?: KeyValueStore;
}

/** The official configuration object of {@link x402Client.fromConfig}, plus our options. */
export interface x402ClientConfig extends X402ClientOptions {
  schemes: readonly SchemeRegistration[];
}

/**
 * The client engine: picks a requirement it can pay, checks the spend controls, asks the
 * registered scheme to sign, assembles the payload, and hears back how the payment went.
 *
 * @example
 * ```ts
 * const client = new x402Client({ spendControls: { maxAmountPerPayment: "$0.10", maxTotal: "$5" } })
 *   .register("eip155:*", new ExactEvmScheme(account));
 * const payload = await client.createPaymentPayload(paymentRequired);
 * ```
 */
export class x402Client {
  private readonly schemes = new SchemeRegistry<SchemeClient>();
  private readonly policies: PaymentPolicy[] = [];
  private readonly extensions: ClientExtension[] = [];
  private readonly hooks = new ClientHooks();
  private readonly spending: SpendingTracker;
  private readonly preferences: PaymentPreferences;
  private selector: SelectPaymentRequirements;

  /** @param selectorOrOptions the official requirement selector, or our options object. */
  constructor(selectorOrOptions: SelectPaymentRequirements | X402ClientOptions = {}) {
    const options = typeof selectorOrOptions === "function" ? {} : selectorOrOptions;
    this.selector =
      typeof selectorOrOptions === "function"
        ? selectorOrOptions
        : (options.paymentRequirementsSelector ?? ((_version, requirements) => requirements[0]!));
    const totals = options.store ? storeSpendingTotals(options.store) : memorySpendingTotals();
    this.spending = new SpendingTracker(options.spendControls ?? {}, totals);
    this.preferences = options.preferences ?? {};
    this.policies.push(...(options.policies ?? []));
  }

  /**
   * A client from one configuration object; `x402Version: 1` entries go to `registerV1`.
   * @example
   * ```ts
   * const client = x402Client.fromConfig({ schemes: [{ network: "eip155:*", client: new ExactEvmScheme(account) }] });
   * ```
   */
  static fromConfig(config: x402ClientConfig): x402Client {
    const client = new x402Client(config);
    for (const { network, client: scheme, x402Version } of config.schemes)
      if (x402Version === 1) client.registerV1(network, scheme);
      else client.register(network, scheme);
    return client;
  }

  /** Register a scheme client for a network or pattern (`eip155:*`), x402 v2. First registration wins. */
  register(network: string, scheme: SchemeClient): this {
    this.schemes.add(2, network, scheme);
    return this;
  }

  /** Register a v1 scheme client for a v1 network name (`base-sepolia`); it returns whole v1 payloads. */
  registerV1(network: string, scheme: SchemeClient): this {
    this.schemes.add(1, network, scheme);
    return this;
  }

  /** Add a policy that filters or reorders candidates (applied in order, after spend controls). */
  registerPolicy(policy: PaymentPolicy): this {
    this.policies.push(policy);
    return this;
  }

  /** Add a client extension; it runs only for 402s that declare its key. */
  registerExtension(extension: ClientExtension): this {
    this.extensions.push(extension);
    return this;
  }

  /** The registered client extensions. */
  getExtensions(): ClientExtension[] {
    return [...this.extensions];
  }

  /** Replace the requirement selector (the constructor's argument). */
  setPaymentRequirementsSelector(selector: SelectPaymentRequirements): this {
    this.selector = selector;
    return this;
  }

  /** Replace the spend controls (`false`: none at all). Totals spent so far are kept. */
  setSpendControls(controls: SpendControls | false): this {
    this.spending.setControls(controls);
    return this;
  }

  /** Runs after selection, before signing; `{ abort: true, reason }` stops the payment. A throw aborts too. */
  onBeforePaymentCreation(hook: BeforePaymentCreationHook): this {
    this.hooks.before.push(hook);
    return this;
  }

  /** Observes every created payload. */
  onAfterPaymentCreation(hook: AfterPaymentCreationHook): this {
    this.hooks.after.push(hook);
    return this;
  }

  /** Runs when signing fails; `{ recovered: true, payload }` substitutes a payload. */
  onPaymentCreationFailure(hook: OnPaymentCreationFailureHook): this {
    this.hooks.failure.push(hook);
    return this;
  }

  /** Runs after every paid request; `{ recovered: true }` on a 402 asks the transport for one fresh payment. */
  onPaymentResponse(hook: OnPaymentResponseHook): this {
    this.hooks.response.push(hook);
    return this;
  }

  /**
   * Tell the paying scheme, then every payment-response hook, how a paid request went.
   * Everyone hears it; the answer is `{ recovered: true }` when any of them asked for a retry.
   */
  async handlePaymentResponse(context: PaymentResponseContext): Promise<{ recovered: true } | undefined> {
    const { paymentPayload, requirements } = context;
    const scheme = this.schemes.find(paymentPayload.x402Version, requirements.network, requirements.scheme);
    const own = scheme?.handlePaymentResponse ? [scheme.handlePaymentResponse.bind(scheme)] : [];
    const hooks = this.hooks.collect("onPaymentResponse", scheme, this.extensions, paymentPayload.extensions);
    return (await everyAnswer([...own, ...hooks], context)) ? { recovered: true } : undefined;
  }

  /**
   * The requirement this client would pay, or a typed error explaining why none qualifies
   * (`no_matching_requirements`, `spending_limit_exceeded`). Nothing is signed or reserved.
   */
  async selectRequirements(paymentRequired: AnyPaymentRequired): Promise<PaymentRequirements> {
    const version = paymentRequired.x402Version;
    const offered = candidatesOf(paymentRequired);
    let candidates = applyPreferences(
      offered.filter((r) => this.schemes.has(version, r.network, r.scheme)),
      this.preferences,
    );
    if (candidates.length === 0)
      throw new X402Error(
        "no_matching_requirements",
        `no registered scheme/network can pay any of: ${offered.map((r) => `${r.scheme}@${r.network}`).join(", ") || "nothing"}`,
        { details: { offered } },
      );
    const refusals: string[] = [];
    const allowed: PaymentRequirements[] = [];
    for (const r of candidates) {
      const reason = await this.spending.refusal(r, this.knownAsset(version, r));
      if (reason) refusals.push(reason);
      else allowed.push(r);
    }
    if (allowed.length === 0) throw new X402Error("spending_limit_exceeded", refusals.join("; "));
    candidates = allowed;
    for (const policy of this.policies) candidates = policy(version, candidates);
    if (candidates.length === 0)
      throw new X402Error("no_matching_requirements", "every requirement was filtered out by policies");
    return this.selector(version, candidates);
  }

  /** Select, check spend controls, sign and assemble a payment for a 402 answer. */
  createPaymentPayload(paymentRequired: PaymentRequired): Promise<PaymentPayload>;
  createPaymentPayload(paymentRequired: PaymentRequiredV1): Promise<PaymentPayloadV1>;
  createPaymentPayload(paymentRequired: AnyPaymentRequired): Promise<AnyPaymentPayload>;
  async createPaymentPayload(paymentRequired: AnyPaymentRequired): Promise<AnyPaymentPayload> {
    const version = paymentRequired.x402Version;
    const requirements = await this.selectRequirements(paymentRequired);
    const scheme = this.schemes.find(version, requirements.network, requirements.scheme);
    if (!scheme)
      throw new X402Error("no_matching_requirements", "the selector chose a requirement no scheme pays");
    // Hook contexts carry v2 types; for a v1 server they hold the v1 objects (as the official client does).
    const context: PaymentCreationContext = {
      paymentRequired: paymentRequired as PaymentRequired,
      selectedRequirements: requirements,
    };
    const declared = version === 2 ? paymentRequired.extensions : undefined;
    const collect = <
      K extends "onBeforePaymentCreation" | "onAfterPaymentCreation" | "onPaymentCreationFailure",
    >(
      name: K,
    ) => this.hooks.collect(name, scheme, this.extensions, declared);

    const abort = await firstAnswer(
      collect("onBeforePaymentCreation"),
      context,
      "before_payment_creation_hook_error",
    );
    if (abort?.abort)
      throw new X402Error("payment_creation_aborted", abort.message ?? abort.reason, {
        details: { reason: abort.reason },
      });
    const known = this.knownAsset(version, requirements);
    // Reserved before signing, so concurrent payments cannot all pass the same total cap.
    const release = await this.spending.reserve(requirements, known);
    let paymentPayload: AnyPaymentPayload;
    try {
      const cap = this.spending.perPaymentCap(requirements, known);
      const result = await scheme.createPaymentPayload(version, requirements, {
        ...(declared ? { extensions: declared } : {}),
        ...(cap === undefined ? {} : { maxAmountPerPayment: cap.toString() }),
      });
      paymentPayload =
        version === 1
          ? assembleV1(result, requirements)
          : await this.enrich(
              assembleV2(result, paymentRequired as PaymentRequired, requirements),
              paymentRequired as PaymentRequired,
            );
    } catch (error) {
      const failure = { ...context, error: error instanceof Error ? error : new Error(describeError(error)) };
      const recovered = await firstAnswer(collect("onPaymentCreationFailure"), failure);
      if (!recovered?.recovered) {
        await release();
        throw wrapSigningError(error);
      }
      paymentPayload = recovered.payload;
    }
    await notifyAll(collect("onAfterPaymentCreation"), {
      ...context,
      paymentPayload: paymentPayload as PaymentPayload,
    });
    return paymentPayload;
  }

  /** Registered extensions the server declared add their data; declared fields stay as the server sent them. */
  private async enrich(payload: PaymentPayload, paymentRequired: PaymentRequired): Promise<PaymentPayload> {
    const declared = paymentRequired.extensions;
    if (!declared) return payload;
    let enriched = payload;
    for (const extension of this.extensions)
      if (extension.enrichPaymentPayload && Object.hasOwn(declared, extension.key))
        enriched = await extension.enrichPaymentPayload(enriched, paymentRequired);
    const extensions = mergeExtensions(declared, enriched.extensions);
    return { ...enriched, ...(extensions ? { extensions } : {}) };
  }

  /** What the paying scheme knows about the asset (official `findDefaultAsset`, else `describeAsset`). */
  private knownAsset(version: number, requirements: PaymentRequirements): DefaultAsset | undefined {
    const scheme = this.schemes.find(version, requirements.network, requirements.scheme);
    if (!scheme) return undefined;
    if (scheme.findDefaultAsset) return scheme.findDefaultAsset(requirements.asset, requirements.network);
    const info = scheme.describeAsset?.(requirements.network, requirements.asset);
    return info?.usd
      ? { asset: requirements.asset, decimals: info.decimals, symbol: info.symbol }
      : undefined;
  }
}
