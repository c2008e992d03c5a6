import type { PaymentRequirements } from "../protocol/types.js";

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
