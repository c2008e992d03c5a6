import { describeError, X402Error } from "../errors.js";
import { HTTPFacilitatorClient } from "../http/facilitatorClient.js";
import { PaymentLifecycle } from "../lifecycle.js";
import { SchemeRegistry } from "../protocol/registry.js";
import type {
  PaymentPayload,
  PaymentRequirements,
  Price,
  SettleResponse,
  SupportedKind,
  VerifyResponse,
} from "../protocol/types.js";
import type { FacilitatorClient, SchemeServer } from "../schemes/index.js";

/** The public facilitator the official SDK uses when none is configured. */
export const DEFAULT_FACILITATOR_URL = "https://x402.org/facilitator";

/** A payment option with its dynamic parts resolved. */
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

interface FacilitatorKind {
  client: FacilitatorClient;
  kind: SupportedKind;
  extensions: readonly string[];
}

/**
 * The resource-server engine: builds payment requirements from prices, and verifies and
 * settles payments through facilitators. Call {@link initialize} once at start-up so that
 * misconfiguration fails early.
 *
 * @example
 * ```ts
 * const server = new x402ResourceServer(new HTTPFacilitatorClient({ url }))
 *   .register("eip155:*", new ExactEvmServer());
 * await server.initialize();
 * ```
 */
export class x402ResourceServer extends PaymentLifecycle {
  private readonly facilitators: FacilitatorClient[];
  private readonly schemes = new SchemeRegistry<SchemeServer>();
  private readonly kinds = new Map<string, FacilitatorKind>();
  private initialization: Promise<void> | undefined;

  constructor(facilitators?: FacilitatorClient | readonly FacilitatorClient[]) {
    super();
    const list =
      facilitators === undefined
        ? []
        : Array.isArray(facilitators)
          ? [...facilitators]
          : [facilitators as FacilitatorClient];
    this.facilitators =
      list.length > 0 ? list : [new HTTPFacilitatorClient({ url: DEFAULT_FACILITATOR_URL })];
  }

  /** Register the server side of a scheme for a network or pattern. */
  register(network: string, scheme: SchemeServer): this {
    this.schemes.add(2, network, scheme);
    return this;
  }

  /**
   * Fetch `/supported` from every facilitator (once; a failure is retried on the next call).
   * Earlier facilitators win for a kind they share.
   */
  initialize(): Promise<void> {
    this.initialization ??= this.loadSupported().catch((error) => {
      this.initialization = undefined;
      throw error;
    });
    return this.initialization;
  }

  /** Why `option` cannot be served, or `undefined` (call after {@link initialize}). */
  problemWith(option: { scheme: string; network: string }): string | undefined {
    if (!this.schemes.has(2, option.network, option.scheme))
      return `no scheme server registered for "${option.scheme}" on ${option.network}`;
    if (!this.kinds.has(kindKey(option.network, option.scheme)))
      return `no facilitator supports "${option.scheme}" on ${option.network}`;
    return undefined;
  }

  /** Turn a resolved payment option into one `accepts[]` entry. Deterministic for equal inputs. */
  async buildPaymentRequirements(option: ResolvedPaymentOption): Promise<PaymentRequirements> {
    await this.initialize();
    const problem = this.problemWith(option);
    if (problem) throw new X402Error("invalid_route_config", problem);
    const scheme = this.schemes.find(2, option.network, option.scheme)!;
    const { amount, asset, extra } = await scheme.parsePrice(
      option.price,
      option.network as `${string}:${string}`,
    );
    let requirements: PaymentRequirements = {
      scheme: option.scheme,
      network: option.network,
      amount,
      asset,
      payTo: option.payTo,
      maxTimeoutSeconds: option.maxTimeoutSeconds ?? 300,
      extra: { ...(extra ?? {}), ...(option.extra ?? {}) },
    };
    const facilitator = this.kinds.get(kindKey(option.network, option.scheme))!;
    if (scheme.enhancePaymentRequirements)
      requirements = await scheme.enhancePaymentRequirements(
        requirements,
        facilitator.kind,
        facilitator.extensions,
      );
    return requirements;
  }

  /** A stable id of the money a payload moves, used to stop concurrent duplicates. */
  paymentId(payload: PaymentPayload): string {
    const scheme = this.schemes.find(2, payload.accepted.network, payload.accepted.scheme);
    return scheme?.paymentId?.(payload) ?? `${payload.accepted.network}|${canonicalJson(payload.payload)}`;
  }

  /**
   * Verify through the facilitator that serves the kind. Throws only if the facilitator
   * fails and no `onVerifyFailure` hook recovers (the pipeline answers 502 then).
   */
  verifyPayment(paymentPayload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    return this.runVerify(
      { paymentPayload, requirements },
      () => this.facilitatorFor(requirements).verify(paymentPayload, requirements),
      (error) => {
        throw error;
      },
    );
  }

  /** Settle through the facilitator. Never throws: failures come back as `success: false`. */
  settlePayment(paymentPayload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    return this.runSettle({ paymentPayload, requirements }, async () => {
      const facilitator = this.facilitatorFor(requirements);
      const result = await facilitator.settle(paymentPayload, requirements);
      // Broadcast but unconfirmed: ask once more, so the facilitator can wait on the same transaction.
      if (!result.success && result.errorReason === "settlement_pending")
        return facilitator.settle(paymentPayload, requirements);
      return result;
    });
  }

  private facilitatorFor(requirements: PaymentRequirements): FacilitatorClient {
    const entry = this.kinds.get(kindKey(requirements.network, requirements.scheme));
    if (!entry)
      throw new X402Error(
        "facilitator_unsupported",
        `no facilitator supports ${requirements.scheme} on ${requirements.network}`,
      );
    return entry.client;
  }

  private async loadSupported(): Promise<void> {
    const answers = await Promise.allSettled(this.facilitators.map(async (f) => f.getSupported()));
    const failures: string[] = [];
    answers.forEach((answer, i) => {
      if (answer.status === "rejected") {
        failures.push(describeError(answer.reason));
        return;
      }
      const client = this.facilitators[i] as FacilitatorClient;
      for (const kind of answer.value.kinds) {
        if (kind.x402Version !== 2) continue;
        const key = kindKey(kind.network, kind.scheme);
        if (!this.kinds.has(key)) this.kinds.set(key, { client, kind, extensions: answer.value.extensions });
      }
    });
    if (failures.length === this.facilitators.length)
      throw new X402Error(
        "facilitator_unavailable",
        `no facilitator answered /supported: ${failures.join("; ")}`,
        {
          status: 502,
        },
      );
  }
}

function kindKey(network: string, scheme: string): string {
  return `${network}|${scheme}`;
}

/**
 * JSON with sorted keys, so equal objects give equal strings.
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2] }); // '{"a":[2],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
