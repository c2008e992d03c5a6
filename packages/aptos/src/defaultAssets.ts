import type { AptosDefaultAsset } from "./networks.js";
import { getAptosNetworkConfig } from "./networks.js";

/**
 * The network's default USD asset (the first of its table entry), or the one with `symbol`.
 *
 * @example
 * ```ts
 * getDefaultAsset("aptos:1")?.asset; // USDC_MAINNET_FA
 * ```
 */
export function getDefaultAsset(network: string, symbol?: string): AptosDefaultAsset | undefined {
  const assets = getAptosNetworkConfig(network)?.assets ?? [];
  if (!symbol) return assets[0];
  return assets.find((entry) => entry.symbol.toUpperCase() === symbol.toUpperCase());
}

/**
 * Reverse lookup `(asset, network)` among the network's USD assets (addresses compared as hex).
 *
 * @example
 * ```ts
 * findDefaultAsset(USDC_TESTNET_FA, "aptos:2")?.decimals; // 6
 * ```
 */
export function findDefaultAsset(asset: string, network: string): AptosDefaultAsset | undefined {
  const wanted = asset.toLowerCase();
  return getAptosNetworkConfig(network)?.assets?.find((entry) => entry.asset.toLowerCase() === wanted);
}
