import { X402Error } from "../errors.js";
import { isMoney, moneyToAtomic } from "../protocol/money.js";
import type { AssetAmount, Money, Network, Price } from "../protocol/types.js";
import type { MoneyParser } from "../schemes/index.js";
import { numberToDecimalString } from "../utils/money.js";

/**
 * A network's default asset for USD prices: its address (or mint, or contract id), decimals
 * and the `extra` every requirement in it carries (left out when `undefined`).
 *
 * @example
 * ```ts
 * const usdc: MoneyPriceAsset = { asset: "0x036C…", decimals: 6, extra: { name: "USDC", version: "2" } };
 * ```
 */
export interface MoneyPriceAsset {
  asset: string;
  decimals: number;
  extra?: Record<string, unknown>;
}

/**
 * What a chain's server scheme supplies to {@link MoneyPriceParser}.
 *
 * @example
 * ```ts
 * const rules: MoneyPriceRules = {
 *   checkAssetAmount: (price) => ({ amount: String(price.amount), asset: price.asset, extra: { ...price.extra } }),
 *   defaultAsset: (network) => (network === "eip155:8453" ? { asset: BASE_USDC, decimals: 6 } : undefined),
 *   noDefaultAsset: (network) => `no default asset is known for ${network}`,
 * };
 * ```
 */
export interface MoneyPriceRules {
  /**
   * Check an asset amount (a route's `{ amount, asset }` price or a money parser's answer) and
   * return it in the scheme's shape; throw `invalid_price` when it is malformed.
   */
  checkAssetAmount(price: AssetAmount, network: Network): AssetAmount;
  /** The network's default asset, or `undefined` when it has none. */
  defaultAsset(network: Network): MoneyPriceAsset | undefined;
  /** Message of the `invalid_price` error for a USD price on a network without a default asset. */
  noDefaultAsset(network: Network): string;
}

/**
 * Server-side pricing shared by the chains' schemes: a USD price (`"$0.01"`, `"0.01"`, `0.01`)
 * goes to the registered money parsers in order (each gets the plain decimal string), then to
 * the network's default asset in atomic units (string arithmetic); an asset amount, given or
 * parsed, goes through the scheme's check.
 *
 * @example
 * ```ts
 * class MyScheme implements SchemeServer {
 *   readonly scheme = "exact";
 *   private readonly prices = new MoneyPriceParser(rules);
 *   registerMoneyParser(parser: MoneyParser): this {
 *     this.prices.registerMoneyParser(parser);
 *     return this;
 *   }
 *   parsePrice(price: Price, network: Network) {
 *     return this.prices.parsePrice(price, network);
 *   }
 * }
 * ```
 */
export class MoneyPriceParser {
  private readonly moneyParsers: MoneyParser[] = [];

  constructor(private readonly rules: MoneyPriceRules) {}

  /** Add a parser tried before the default asset, in registration order. */
  registerMoneyParser(parser: MoneyParser): void {
    this.moneyParsers.push(parser);
  }

  /**
   * Price → asset amount on `network`.
   *
   * @throws {X402Error} `invalid_price` for a malformed amount or asset, or a USD price on a
   * network without a default asset.
   */
  async parsePrice(price: Price, network: Network): Promise<AssetAmount> {
    if (!isMoney(price)) return this.rules.checkAssetAmount(price, network);
    const decimal = moneyToDecimal(price);
    for (const parser of this.moneyParsers) {
      const result = await parser(decimal, network);
      if (result) return this.rules.checkAssetAmount(result, network);
    }
    const asset = this.rules.defaultAsset(network);
    if (!asset) throw new X402Error("invalid_price", this.rules.noDefaultAsset(network));
    const amount = moneyToAtomic(price, asset.decimals);
    return asset.extra === undefined
      ? { amount, asset: asset.asset }
      : { amount, asset: asset.asset, extra: asset.extra };
  }
}

/** `"$0.01"` / `" 0.01 "` / `0.01` → `"0.01"` (no `$`, no scientific notation). */
function moneyToDecimal(price: Money): string {
  return typeof price === "number" ? numberToDecimalString(price) : price.trim().replace(/^\$/, "").trim();
}
