import type {
  AssetAmount,
  Network,
  PaymentPayload,
  PaymentRequirements,
  Price,
  SettleResponse,
  SupportedKind,
  SupportedResponse,
  VerifyResponse,
} from "./protocol/types.js";

/** What a client-side scheme knows about an asset (used by spending limits). */
export interface AssetInfo {
  decimals: number;
  symbol: string;
  /** True for USD stablecoins: USD limits such as `"$1"` apply to them. */
  usd: boolean;
}

/** Extra facts handed to {@link SchemeClient.createPaymentPayload}. */
export interface PaymentCreationContext {
  /** The server's advertised extensions. */
  extensions?: Record<string, unknown>;
}

/** What a scheme client returns; core adds `accepted`, `resource` and `extensions`. */
export interface SchemePayloadResult {
  x402Version: number;
  payload: Record<string, unknown>;
  /** Extension data merged into `PaymentPayload.extensions`. */
  extensions?: Record<string, unknown>;
}

/**
 * Client side of one scheme on one network family: signs a payment for a requirement.
 *
 * @example
 * ```ts
 * client.register("eip155:*", new ExactEvmClient(account));
 * ```
 */
export interface SchemeClient {
  readonly scheme: string;
  createPaymentPayload(
    x402Version: number,
    requirements: PaymentRequirements,
    context: PaymentCreationContext,
  ): Promise<SchemePayloadResult>;
  /** Facts about a known asset, for USD spending limits. */
  describeAsset?(network: string, asset: string): AssetInfo | undefined;
}

/**
 * Resource-server side of one scheme: turns prices into requirements.
 */
export interface SchemeServer {
  readonly scheme: string;
  /** `"$0.01"` → the network's default stablecoin amount; an {@link AssetAmount} passes through. */
  parsePrice(price: Price, network: Network): AssetAmount | Promise<AssetAmount>;
  /** Add facilitator-provided data (e.g. a fee payer from `/supported`). */
  enhancePaymentRequirements?(
    requirements: PaymentRequirements,
    supportedKind: SupportedKind,
    facilitatorExtensions: readonly string[],
  ): PaymentRequirements | Promise<PaymentRequirements>;
  /** Decimals of an asset, when known. */
  getAssetDecimals?(asset: string, network: string): number | undefined;
  /**
   * A stable id of the authorization inside a payload (EVM: payer + nonce). Two payloads
   * with the same id spend the same money; the server lets only one through at a time.
   */
  paymentId?(payload: PaymentPayload): string | undefined;
}

/** Context given to facilitator schemes. */
export interface FacilitatorContext {
  /** Registered facilitator extensions by key. */
  getExtension(key: string): unknown;
}

/**
 * Facilitator side of one scheme: verifies and settles payloads on a chain.
 */
export interface SchemeFacilitator {
  readonly scheme: string;
  /** Pattern that groups this scheme's signers in `/supported`, e.g. `eip155:*`. */
  readonly caipFamily: string;
  /** `kinds[].extra` for a network (e.g. a fee payer). */
  getExtra(network: string): Record<string, unknown> | undefined;
  /** Addresses the facilitator pays or signs from on a network. */
  getSigners(network: string): string[];
  verify(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: FacilitatorContext,
  ): Promise<VerifyResponse>;
  settle(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: FacilitatorContext,
  ): Promise<SettleResponse>;
}

/** The three-method facilitator interface a resource server talks to (HTTP or in-process). */
export interface FacilitatorClient {
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse>;
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse>;
  getSupported(): SupportedResponse | Promise<SupportedResponse>;
}
