import type { AssetAmount, MoneyParser, Network, PaymentPayload, Price, SchemeServer } from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import { MoneyPriceParser } from "@x402kit/core/server";
import { type EvmStablecoin, findDefaultStablecoin, getDefaultStablecoin } from "../../defaultAssets.js";
import { permit2NonceKey } from "../../permit2/payload.js";
import { authorizationKey, isRecord } from "../payload.js";

/**
 * Resource-server side of scheme `exact` on EVM chains: resolves `"$0.01"` prices to the
 * network's default stablecoin (with its EIP-712 `name`/`version` in `extra`, which the
 * client needs to sign) and identifies payloads (EIP-3009 and Permit2) for the server's
 * duplicate guard. A price whose `extra` says `assetTransferMethod: "permit2"` is paid via
 * Permit2; add `declareEip2612GasSponsoringExtension()` / `declareErc20ApprovalGasSponsoringExtension()`
 * to the route's `extensions` so payers without a Permit2 allowance (or gas) can pay.
 *
 * @example
 * ```ts
 * const server = new x402ResourceServer(facilitator).register("eip155:*", new ExactEvmScheme());
 * ```
 */
export class ExactEvmScheme implements SchemeServer {
  readonly scheme = "exact";
  private readonly prices = new MoneyPriceParser({
    checkAssetAmount: (price, network) => this.passThrough(price, network),
    defaultAsset: (network) => {
      const coin = getDefaultStablecoin(network);
      return coin && { asset: coin.address, decimals: coin.decimals, extra: defaultExtra(coin) };
    },
    noDefaultAsset: (network) =>
      `no default stablecoin is known for ${network}; price it as an asset amount ({ amount, asset, extra: { name, version } }) or register a money parser`,
  });

  /**
   * Add a parser that runs before the default table, in registration order.
   *
   * @example
   * ```ts
   * new ExactEvmScheme().registerMoneyParser((amount, network) =>
   *   network === "eip155:31337" ? { amount: convertToTokenAmount(String(amount), 6), asset: TEST_USDC, extra: { name: "USD Coin", version: "2" } } : null);
   * ```
   */
  registerMoneyParser(parser: MoneyParser): this {
    this.prices.registerMoneyParser(parser);
    return this;
  }

  /**
   * `"$0.01"` / `"0.01"` / `0.01` → atomic amount of the default stablecoin; an
   * {@link AssetAmount} passes through (a known default asset gets its missing
   * `name`/`version` filled in).
   *
   * @throws {X402Error} `invalid_price` for malformed amounts, or a Money price on a
   * network without a default stablecoin.
   */
  parsePrice(price: Price, network: Network): Promise<AssetAmount> {
    return this.prices.parsePrice(price, network);
  }

  /** EVM addresses are case-insensitive (checksummed or not, they name the same account). */
  sameAddress(a: string, b: string): boolean {
    return a.toLowerCase() === b.toLowerCase();
  }

  /** Decimals of a default stablecoin, else `undefined`. */
  getAssetDecimals(asset: string, network: string): number | undefined {
    return findDefaultStablecoin(network, asset)?.decimals;
  }

  /**
   * `network:asset:from:nonce` (lowercase) of an EIP-3009 payload, `network:permit2:…:owner:nonce`
   * of a Permit2 payload: two payloads with the same id spend the same nonce. `undefined` for
   * anything else.
   */
  paymentId(payload: PaymentPayload): string | undefined {
    // Only the fields that name the money are read; the facilitator validates the rest.
    const inner: unknown = payload?.payload;
    if (isRecord(inner) && isRecord(inner.permit2Authorization)) {
      const { from, nonce } = inner.permit2Authorization;
      if (
        typeof from !== "string" ||
        typeof nonce !== "string" ||
        !/^(?:\d{1,78}|0x[0-9a-fA-F]{1,64})$/.test(nonce)
      )
        return undefined;
      return permit2NonceKey(payload.accepted.network, from, nonce);
    }
    const authorization: unknown = isRecord(inner) ? inner.authorization : undefined;
    if (!isRecord(authorization)) return undefined;
    const { from, nonce } = authorization;
    const { network, asset } = payload.accepted;
    if (typeof from !== "string" || typeof nonce !== "string") return undefined;
    return authorizationKey(network, asset, from, nonce);
  }

  private passThrough(price: AssetAmount, network: string): AssetAmount {
    if (!isRecord(price) || typeof price.asset !== "string" || !/^\d+$/.test(String(price.amount)))
      throw new X402Error("invalid_price", "an asset amount needs { amount: atomic digits, asset: address }");
    const coin = findDefaultStablecoin(network, price.asset);
    const defaults = coin ? defaultExtra(coin) : {};
    return { amount: price.amount, asset: price.asset, extra: { ...defaults, ...price.extra } };
  }
}

/**
 * `extra` of a default asset: its EIP-712 domain; for a Permit2-only token
 * (`assetTransferMethod: "permit2"` in the table) the method, and the domain only when the token
 * has EIP-2612 `permit` (which is what steers clients to EIP-2612 rather than approval sponsoring).
 */
function defaultExtra(coin: EvmStablecoin): Record<string, unknown> {
  const { assetTransferMethod, supportsEip2612 } = coin as EvmStablecoin & {
    assetTransferMethod?: string;
    supportsEip2612?: boolean;
  };
  if (assetTransferMethod !== "permit2") return { name: coin.name, version: coin.version };
  return supportsEip2612
    ? { assetTransferMethod, name: coin.name, version: coin.version }
    : { assetTransferMethod };
}
