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
import { APTOS_ADDRESS_REGEX } from "../../constants.js";
import { findDefaultAsset, getDefaultAsset } from "../../defaultAssets.js";
import { deserializeAptosPayment, isExactAptosPayload } from "../../payload.js";

/**
 * Resource-server side of scheme `exact` on Aptos: resolves `"$0.01"` to the network's default
 * USD asset (network table: USDC on mainnet and testnet, whatever a local network registered),
 * copies the facilitator's `feePayer` from `/supported` into the requirements, and names each
 * payment by sender and sequence number for the server's duplicate guard.
 *
 * @example
 * ```ts
 * const server = new x402ResourceServer(facilitator).register("aptos:*", new ExactAptosScheme());
 * ```
 */
export class ExactAptosScheme implements SchemeServer {
  readonly scheme = "exact";
  private readonly prices = new MoneyPriceParser({
    checkAssetAmount: passThrough,
    defaultAsset: (network) => {
      const known = getDefaultAsset(network);
      return known && { asset: known.asset, decimals: known.decimals, extra: {} };
    },
    noDefaultAsset: (network) =>
      `no default asset is known for ${network}; price it as { amount, asset }, register a money parser or registerAptosNetwork() with assets`,
  });

  /**
   * Add a parser that runs before the network table, in registration order.
   *
   * @example
   * ```ts
   * new ExactAptosScheme().registerMoneyParser((amount, network) =>
   *   network === "aptos:4" ? { amount: convertToTokenAmount(String(amount), 6), asset: LOCAL_USDC } : null);
   * ```
   */
  registerMoneyParser(parser: MoneyParser): this {
    this.prices.registerMoneyParser(parser);
    return this;
  }

  /**
   * `"$0.01"` → atomic units of the default asset; an {@link AssetAmount} passes through.
   *
   * @throws {X402Error} `invalid_price` for a malformed amount or asset, or a Money price on a network without a default asset.
   */
  parsePrice(price: Price, network: Network): Promise<AssetAmount> {
    return this.prices.parsePrice(price, network);
  }

  /** Copy the facilitator's fee payer (sponsorship) into `extra`. */
  enhancePaymentRequirements(
    requirements: PaymentRequirements,
    supportedKind: SupportedKind,
  ): PaymentRequirements {
    const feePayer = supportedKind.extra?.feePayer;
    return typeof feePayer === "string"
      ? { ...requirements, extra: { ...requirements.extra, feePayer } }
      : requirements;
  }

  /** Decimals of a USD asset of the network table. */
  getAssetDecimals(asset: string, network: string): number | undefined {
    return findDefaultAsset(asset, network)?.decimals;
  }

  /** Aptos addresses are hex: case and leading zeros of the short form do not matter. */
  sameAddress(a: string, b: string): boolean {
    const left = normaliseAddress(a);
    return left !== undefined && left === normaliseAddress(b);
  }

  /** `network:sender:sequence`: two payloads with the same id spend the same sequence number. */
  paymentId(payload: PaymentPayload): string | undefined {
    if (!isExactAptosPayload(payload?.payload)) return undefined;
    try {
      const raw = deserializeAptosPayment(payload.payload.transaction).transaction.rawTransaction;
      return `${payload.accepted.network}:${raw.sender.toStringLong()}:${raw.sequence_number}`;
    } catch {
      return undefined;
    }
  }
}

function passThrough(price: AssetAmount): AssetAmount {
  if (
    typeof price !== "object" ||
    price === null ||
    typeof price.asset !== "string" ||
    !APTOS_ADDRESS_REGEX.test(price.asset) ||
    !/^\d+$/.test(String(price.amount))
  )
    throw new X402Error(
      "invalid_price",
      "an asset amount needs { amount: atomic digits, asset: long-form address }",
    );
  return { amount: String(price.amount), asset: price.asset, extra: { ...price.extra } };
}

function normaliseAddress(address: string): string | undefined {
  const hex = /^0x([0-9a-fA-F]{1,64})$/.exec(address)?.[1];
  return hex?.toLowerCase().padStart(64, "0");
}
