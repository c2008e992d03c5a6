import type {
  PaymentPayload,
  PaymentPayloadV1,
  PaymentRequired,
  PaymentRequirements,
  SettleResponse,
} from "../protocol/types.js";

/**
 * A USD-pegged asset a scheme knows (its default-asset table). Spend controls price these in
 * dollars (`maxAmountPerPayment: "$1"`); any other asset must be allowed explicitly.
 *
 * @example
 * ```ts
 * const usdc: DefaultAsset = { asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", decimals: 6, symbol: "USDC" };
 * ```
 */
export interface DefaultAsset {
  /** Asset id as it appears in `requirements.asset`. */
  asset: string;
  decimals: number;
  symbol: string;
}

/**
 * Reverse lookup `(asset, network) → DefaultAsset`, `undefined` for assets the scheme does not know.
 *
 * @example
 * ```ts
 * const find: FindDefaultAsset = (asset, network) => (asset === usdc.asset ? usdc : undefined);
 * ```
 */
export type FindDefaultAsset<T extends DefaultAsset = DefaultAsset> = (
  asset: string,
  network: string,
) => T | undefined;

/**
 * What a client-side scheme knew about an asset before {@link FindDefaultAsset} existed.
 *
 * @deprecated implement {@link SchemeClient.findDefaultAsset} instead (still honoured).
 * @example
 * ```ts
 * const info: AssetInfo = { decimals: 6, symbol: "USDC", usd: true };
 * ```
 */
export interface AssetInfo {
  decimals: number;
  symbol: string;
  /** True for USD stablecoins: USD limits such as `"$1"` apply to them. */
  usd: boolean;
}

/**
 * Extra facts handed to {@link SchemeClient.createPaymentPayload}.
 *
 * @example
 * ```ts
 * const context: PaymentPayloadContext = { extensions: required.extensions ?? undefined, maxAmountPerPayment: "1000000" };
 * ```
 */
export interface PaymentPayloadContext {
  /** The server's advertised extensions. */
  extensions?: Record<string, unknown>;
  /**
   * The resolved per-payment spend cap for this requirement, in its atomic units; absent when
   * uncapped. Schemes that sign a maximum (`upto`, batch deposits) stay at or below it.
   */
  maxAmountPerPayment?: string;
}

/**
 * What a scheme client returns. For v2, core adds `accepted`, `resource` and `extensions`. A
 * scheme registered with `registerV1` returns the whole v1 payload
 * (`{ x402Version: 1, scheme, network, payload }`).
 *
 * @example
 * ```ts
 * const result: PaymentPayloadResult = { x402Version: 2, payload: { signature, authorization } };
 * ```
 */
export interface PaymentPayloadResult {
  x402Version: number;
  payload: Record<string, unknown>;
  /** Extension data merged into `PaymentPayload.extensions`. */
  extensions?: Record<string, unknown>;
  /** v1 only: the payload's own `scheme` and `network`. */
  scheme?: string;
  network?: string;
}

/** Any payment payload the client can send (v2 `PAYMENT-SIGNATURE` or v1 `X-PAYMENT`). */
export type AnyPaymentPayload = PaymentPayload | PaymentPayloadV1;

/**
 * What happened to a paid request. Exactly one of these describes the outcome:
 * `settleResponse.success === true` (paid), `settleResponse.success === false` (settlement
 * failed), `paymentRequired` without `settleResponse` (the payment was refused, or a
 * corrective 402 carrying per-request data), `error` (the answer could not be read).
 *
 * @example
 * ```ts
 * client.onPaymentResponse(async ({ settleResponse }) => console.log(settleResponse?.transaction));
 * ```
 */
export interface PaymentResponseContext {
  /** The payload that was sent. */
  paymentPayload: PaymentPayload;
  /** The requirement it paid (`paymentPayload.accepted`). */
  requirements: PaymentRequirements;
  /** HTTP status of the paid request's answer (absent outside HTTP). */
  status?: number;
  /** Decoded `PAYMENT-RESPONSE` (or `X-PAYMENT-RESPONSE`). */
  settleResponse?: SettleResponse;
  /** Decoded `PAYMENT-REQUIRED` of a 402 answer; its `error` is the server's reason. */
  paymentRequired?: PaymentRequired;
  /** Why the answer's payment headers could not be decoded. */
  error?: Error;
}

/** Answer of a payment-response handler: `{ recovered: true }` asks for one fresh payment. */
export type PaymentResponseResult = { recovered: true } | undefined;

/** Context of the before-creation hooks: the 402 and the requirement chosen to pay. */
export interface PaymentCreationContext {
  paymentRequired: PaymentRequired;
  selectedRequirements: PaymentRequirements;
}

/** Context of the after-creation hooks. */
export interface PaymentCreatedContext extends PaymentCreationContext {
  paymentPayload: PaymentPayload;
}

/** Context of the creation-failure hooks. */
export interface PaymentCreationFailureContext extends PaymentCreationContext {
  error: Error;
}

/**
 * What a hook may answer: a result, or nothing at all, so `async (ctx) => { log(ctx); }` is a
 * valid hook.
 *
 * @example
 * ```ts
 * const hook = async (): Promise<HookAnswer<{ abort: true; reason: string }>> => undefined;
 * ```
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a hook written as `async () => {}` returns void
export type HookAnswer<T> = T | undefined | void;

type Awaitable<T> = T | Promise<T>;

/** Runs after selection, before signing; `{ abort: true, reason }` stops the payment. */
export type BeforePaymentCreationHook = (
  context: PaymentCreationContext,
) => Awaitable<HookAnswer<{ abort: true; reason: string; message?: string }>>;
/** Observes every created payload. */
export type AfterPaymentCreationHook = (context: PaymentCreatedContext) => Awaitable<void>;
/** Runs when signing fails; `{ recovered: true, payload }` substitutes a payload. */
export type OnPaymentCreationFailureHook = (
  context: PaymentCreationFailureContext,
) => Awaitable<HookAnswer<{ recovered: true; payload: PaymentPayload }>>;
/** Runs after a paid request; `{ recovered: true }` on a 402 asks for one fresh payment. */
export type OnPaymentResponseHook = (
  context: PaymentResponseContext,
) => Awaitable<HookAnswer<PaymentResponseResult>>;

/**
 * Client hooks a scheme contributes; they run after the client's own hooks of the same name.
 *
 * @example
 * ```ts
 * readonly schemeHooks: SchemeClientHooks = { onAfterPaymentCreation: async (ctx) => log(ctx.paymentPayload) };
 * ```
 */
export interface SchemeClientHooks {
  onBeforePaymentCreation?: BeforePaymentCreationHook;
  onAfterPaymentCreation?: AfterPaymentCreationHook;
  onPaymentCreationFailure?: OnPaymentCreationFailureHook;
  onPaymentResponse?: OnPaymentResponseHook;
}

/**
 * Client side of one scheme on one network family: signs a payment for a requirement, and
 * optionally follows what the server answered (receipts, corrective 402s).
 *
 * @example
 * ```ts
 * client.register("eip155:*", new ExactEvmScheme(account));
 * ```
 */
export interface SchemeClient {
  readonly scheme: string;
  /**
   * Sign a payment for one requirement. For a scheme registered with `registerV1`,
   * `requirements` is the v1 entry (`maxAmountRequired`, `resource`, …) as the server sent it.
   */
  createPaymentPayload(
    x402Version: number,
    requirements: PaymentRequirements,
    context?: PaymentPayloadContext,
  ): Promise<PaymentPayloadResult>;
  /** Hooks this scheme adds to the client's (official name). */
  readonly schemeHooks?: SchemeClientHooks;
  /** Reverse lookup of the scheme's USD default assets, for spend controls. */
  findDefaultAsset?: FindDefaultAsset;
  /** @deprecated use {@link SchemeClient.findDefaultAsset}; still honoured when that is absent. */
  describeAsset?(network: string, asset: string): AssetInfo | undefined;
  /**
   * The scheme's own view of a paid request's answer, called before any hook: adopt the
   * state a `PAYMENT-RESPONSE` reports (e.g. a channel's charged total), or decide whether a
   * 402 is *corrective* (the server sent what this scheme needs to sign a payment it will
   * accept, e.g. a cumulative amount in `accepts[].extra`). Return `{ recovered: true }` only
   * then: the client signs once more against that 402, within its retry budget. A throw is
   * reported and treated as "cannot correct".
   */
  handlePaymentResponse?(context: PaymentResponseContext): Awaitable<HookAnswer<PaymentResponseResult>>;
}

/** The official name of {@link SchemeClient}. */
export type SchemeNetworkClient = SchemeClient;
