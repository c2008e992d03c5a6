import type {
  AssetAmount,
  Network,
  PaymentPayload,
  PaymentRequirements,
  Price,
  SettleResponse,
  SupportedKind,
  VerifyResponse,
} from "../protocol/types.js";
import type { FacilitatorClient } from "./facilitator.js";

/**
 * Turns a USD amount into an asset amount for a network, or `null` to let the next parser
 * (and finally the scheme's default asset) decide. x402kit always passes `amount` as a plain
 * decimal string without `$` (e.g. `"0.01"`); the official type also allows a number.
 *
 * @example
 * ```ts
 * const parser: MoneyParser = async (amount, network) =>
 *   network === "eip155:31337" ? { amount: convertToTokenAmount(String(amount), 6), asset: usdc } : null;
 * ```
 */
export type MoneyParser = (
  amount: string | number,
  network: Network,
) => AssetAmount | null | undefined | Promise<AssetAmount | null | undefined>;

/**
 * What a scheme's own server-side verify or settle receives besides the payment.
 *
 * @example
 * ```ts
 * async settlePayment(payload, requirements, { facilitator }) {
 *   return isVoucher(payload) ? this.chargeVoucher(payload, requirements) : facilitator!.settle(payload, requirements);
 * }
 * ```
 */
export interface SchemeServerContext {
  /** The facilitator that serves this scheme and network, when one does. */
  facilitator: FacilitatorClient | undefined;
  /** Extension declarations of the route. */
  declaredExtensions: Record<string, unknown> | undefined;
  /** The transport's request description (HTTP: the pipeline's request). */
  transportContext: unknown;
}

/**
 * A verification answer of a server scheme. A negative answer may carry `correctiveExtra`:
 * the pipeline then answers 402 whose matching `accepts[]` entry has this data merged into its
 * `extra` (batch-settlement: the channel state the client must sign against). It stays
 * in-process, never on the facilitator wire.
 *
 * @example
 * ```ts
 * return { isValid: false, invalidReason: "invalid_batch_settlement_evm_cumulative_amount_mismatch",
 *          correctiveExtra: { channelState, voucherState } };
 * ```
 */
export type SchemeVerifyResponse = VerifyResponse & { correctiveExtra?: Record<string, unknown> };

/**
 * Resource-server side of one scheme: turns prices into requirements and, when the scheme
 * needs it, owns verification and settlement (vouchers checked and charged by the server).
 *
 * @example
 * ```ts
 * server.register("eip155:*", new ExactEvmScheme());
 * ```
 */
export interface SchemeServer {
  readonly scheme: string;
  /** `"$0.01"` → the network's default asset amount; an {@link AssetAmount} passes through. */
  parsePrice(price: Price, network: Network): AssetAmount | Promise<AssetAmount>;
  /** Add facilitator-provided data (e.g. a fee payer from `/supported`). */
  enhancePaymentRequirements?(
    requirements: PaymentRequirements,
    supportedKind: SupportedKind,
    facilitatorExtensions: readonly string[],
  ): PaymentRequirements | Promise<PaymentRequirements>;
  /**
   * Checked at `initialize()` for every network a facilitator supports this scheme on: a
   * problem message when the facilitator lacks something the scheme needs (e.g. a fee payer).
   */
  validateFacilitatorSupport?(
    network: Network,
    supportedKind: SupportedKind,
    facilitatorExtensions: readonly string[],
    // biome-ignore lint/suspicious/noConfusingVoidType: the official signature; an implementation without a problem returns nothing
  ): string | undefined | void;
  /** Decimals of an asset, when known (needed for `"$0.05"` settlement overrides). */
  getAssetDecimals?(asset: string, network: string): number | undefined;
  /**
   * A stable id of the authorization inside a payload (EVM: payer + nonce). Two payloads
   * with the same id spend the same money; the server lets only one through at a time.
   */
  paymentId?(payload: PaymentPayload): string | undefined;
  /**
   * True when two addresses of this chain name the same account or asset (`payTo`, `asset`)
   * when the client's `accepted` is matched. Default: exact string equality (Solana, Stellar
   * and Aptos addresses are case-sensitive); EVM compares case-insensitively.
   */
  sameAddress?(a: string, b: string): boolean;
  /** `extra` keys that change per request and are left out when `accepted` is matched. */
  readonly dynamicExtraFields?: readonly string[];
  /**
   * Verify without (or before) the facilitator. Used instead of the facilitator when present;
   * call `context.facilitator` to delegate (e.g. a deposit), answer locally otherwise (a voucher).
   */
  verifyPayment?(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context: SchemeServerContext,
  ): Promise<SchemeVerifyResponse>;
  /**
   * Settle without (or around) the facilitator. Used instead of the facilitator when present;
   * `requirements.amount` is what to charge (already resolved from settlement overrides and
   * never above the authorised amount).
   */
  settlePayment?(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context: SchemeServerContext,
  ): Promise<SettleResponse>;
  /**
   * A verified payment ended without a successful settlement (the handler failed, the charge
   * was refused, a hook aborted, or settling failed): undo what {@link verifyPayment} reserved
   * (e.g. a channel's pending request). Must be idempotent. Errors are reported, not thrown.
   */
  releasePayment?(payload: PaymentPayload, requirements: PaymentRequirements): void | Promise<void>;
}

/**
 * Anything with the resource-server engine's `register(networkPattern, scheme)`; chain
 * packages' `register…Scheme(server)` helpers accept it.
 *
 * @example
 * ```ts
 * const registry: SchemeServerRegistry = new x402ResourceServer(facilitator);
 * ```
 */
export interface SchemeServerRegistry {
  register(networkPattern: string, scheme: SchemeServer): unknown;
}

/** The official name (`@x402/core/types`) of a resource-server scheme: {@link SchemeServer}. */
export type SchemeNetworkServer = SchemeServer;
