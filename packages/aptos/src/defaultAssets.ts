import type { AptosDefaultAsset } from "./networks.js";
import { getAptosNetworkConfig, listAptosNetworks } from "./networks.js";

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

/**
 * The official name for the table of USD assets per network, as a live read-only view of the
 * network table (so `registerAptosNetwork` additions show up).
 *
 * @example
 * ```ts
 * DEFAULT_ASSETS["aptos:1"]?.[0]?.symbol; // "USDC"
 * ```
 */
export const DEFAULT_ASSETS: Readonly<Record<string, readonly AptosDefaultAsset[]>> = new Proxy(
  {},
  {
    get: (_target, key) => (typeof key === "string" ? assetsOf(key) : undefined),
    has: (_target, key) => typeof key === "string" && assetsOf(key) !== undefined,
    ownKeys: () => listAptosNetworks().flatMap((n) => (n.assets?.length ? [n.network] : [])),
    getOwnPropertyDescriptor: (_target, key) => {
      const value = typeof key === "string" ? assetsOf(key) : undefined;
      return value ? { value, enumerable: true, configurable: true, writable: false } : undefined;
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  },
);

function assetsOf(network: string): readonly AptosDefaultAsset[] | undefined {
  const assets = getAptosNetworkConfig(network)?.assets;
  return assets?.length ? assets : undefined;
}
