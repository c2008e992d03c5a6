import type {
  AssetAmount,
  Network,
  PaymentPayload,
  PaymentRequirements,
  Price,
  SupportedKind,
} from "../protocol/types.js";

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
