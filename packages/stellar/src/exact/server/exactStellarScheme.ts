import type {
  AssetAmount,
  MoneyParser,
  Network,
  PaymentPayload,
  PaymentRequirements,
  Price,
  SchemeServer,
  SupportedKind,
} from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import { MoneyPriceParser } from "@x402kit/core/server";
import { validateStellarAssetAddress } from "../../addresses.js";
import { getStellarNetwork } from "../../networks.js";
import { authorizationIdOf } from "../authorizationId.js";

/**
 * Resource-server side of scheme `exact` on Stellar: prices `"$0.01"` in the network's
 * default asset (USDC, 7 decimals: `100000`), copies the facilitator's `areFeesSponsored`
 * into `extra`, and names each payload by its authorization nonce for the duplicate guard.
 * Networks come from the table ({@link registerStellarNetwork} adds a local one).
 *
 * @example
 * ```ts
 * const server = new x402ResourceServer(facilitator).register("stellar:*", new ExactStellarScheme());
 * ```
 */
export class ExactStellarScheme implements SchemeServer {
  readonly scheme = "exact";
  private readonly prices = new MoneyPriceParser({
    checkAssetAmount: passThrough,
    defaultAsset: (network) => {
      const known = getStellarNetwork(network)?.defaultAsset;
      return known && { asset: known.address, decimals: known.decimals, extra: {} };
    },
    noDefaultAsset: (network) =>
      `no default asset is known for ${network}; price it as { amount, asset } or register a money parser`,
  });

  /**
   * Add a parser tried before the default asset, in registration order.
   *
   * @example
   * ```ts
   * new ExactStellarScheme().registerMoneyParser((amount, network) =>
   *   network === "stellar:local" ? { amount: convertToTokenAmount(String(amount), 7), asset: LOCAL_USDC } : null);
   * ```
   */
  registerMoneyParser(parser: MoneyParser): this {
    this.prices.registerMoneyParser(parser);
    return this;
  }

  /**
   * `"$0.01"` → atomic units of the network's default asset; an {@link AssetAmount} passes through.
   *
   * @throws {X402Error} `invalid_price` for a malformed amount or asset, or Money on a network without a default asset.
   */
  parsePrice(price: Price, network: Network): Promise<AssetAmount> {
    return this.prices.parsePrice(price, network);
  }

  /** Copy `areFeesSponsored` from the facilitator's `/supported` kind (the client requires it). */
  enhancePaymentRequirements(
    requirements: PaymentRequirements,
    supportedKind: SupportedKind,
    _facilitatorExtensions: readonly string[],
  ): PaymentRequirements {
    const sponsored = supportedKind.extra?.areFeesSponsored;
    return {
      ...requirements,
      extra: {
        ...requirements.extra,
        ...(typeof sponsored === "boolean" ? { areFeesSponsored: sponsored } : {}),
      },
    };
  }

  /** Decimals of the network's default asset, else `undefined`. */
  getAssetDecimals(asset: string, network: string): number | undefined {
    const known = getStellarNetwork(network)?.defaultAsset;
    return known?.address === asset ? known.decimals : undefined;
  }

  /** Stellar strkeys are case-sensitive identifiers: equal only when identical. */
  sameAddress(a: string, b: string): boolean {
    return a === b;
  }

  /** `network:asset:payer:nonce` of the payload's authorization entry, else `undefined`. */
  paymentId(payload: PaymentPayload): string | undefined {
    return authorizationIdOf(payload);
  }
}

function passThrough(price: AssetAmount): AssetAmount {
  if (typeof price !== "object" || price === null || !validateStellarAssetAddress(price.asset))
    throw new X402Error("invalid_price", "an asset amount needs { amount, asset: a C… contract id }");
  if (!/^[1-9]\d*$/.test(String(price.amount)))
    throw new X402Error("invalid_price", "the amount must be positive atomic digits");
  return { amount: String(price.amount), asset: price.asset, extra: { ...price.extra } };
}
