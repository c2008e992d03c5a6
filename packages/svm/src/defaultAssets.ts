import type { DefaultAsset } from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import {
  SOLANA_DEVNET_CAIP2,
  SOLANA_MAINNET_CAIP2,
  SOLANA_TESTNET_CAIP2,
  TOKEN_PROGRAM_ADDRESS,
  USDC_DEVNET_ADDRESS,
  USDC_MAINNET_ADDRESS,
  USDC_TESTNET_ADDRESS,
} from "./constants.js";
import { tryNormalizeNetwork } from "./network.js";

/**
 * A stablecoin the SVM scheme knows: mint, decimals, symbol and the token program that owns it.
 *
 * @example
 * ```ts
 * const usdc: SvmDefaultAsset = { asset: USDC_MAINNET_ADDRESS, decimals: 6, symbol: "USDC", tokenProgram: TOKEN_PROGRAM_ADDRESS };
 * ```
 */
export interface SvmDefaultAsset extends DefaultAsset {
  tokenProgram: string;
}

const usdc = (asset: string): SvmDefaultAsset => ({
  asset,
  decimals: 6,
  symbol: "USDC",
  tokenProgram: TOKEN_PROGRAM_ADDRESS,
});

/** Default stablecoins per CAIP-2 network, first = the one `"$0.01"` prices in. */
export const DEFAULT_ASSETS: Readonly<Record<string, readonly SvmDefaultAsset[]>> = {
  [SOLANA_MAINNET_CAIP2]: [usdc(USDC_MAINNET_ADDRESS)],
  [SOLANA_DEVNET_CAIP2]: [usdc(USDC_DEVNET_ADDRESS)],
  [SOLANA_TESTNET_CAIP2]: [usdc(USDC_TESTNET_ADDRESS)],
};

/**
 * The default stablecoin of a network (v1 names accepted), or undefined.
 *
 * @example
 * ```ts
 * getDefaultAsset("solana-devnet")?.asset; // USDC_DEVNET_ADDRESS
 * ```
 */
export function getDefaultAsset(network: string): SvmDefaultAsset | undefined {
  const caip2 = tryNormalizeNetwork(network);
  return caip2 ? DEFAULT_ASSETS[caip2]?.[0] : undefined;
}

/**
 * Reverse lookup: the default asset a mint is on a network, or undefined.
 *
 * @example
 * ```ts
 * findDefaultAsset(USDC_MAINNET_ADDRESS, SOLANA_MAINNET_CAIP2)?.symbol; // "USDC"
 * ```
 */
export function findDefaultAsset(asset: string, network: string): SvmDefaultAsset | undefined {
  const caip2 = tryNormalizeNetwork(network);
  return caip2 ? DEFAULT_ASSETS[caip2]?.find((entry) => entry.asset === asset) : undefined;
}

/**
 * USDC's mint on a network.
 *
 * @throws {X402Error} `invalid_network` when the network has no USDC.
 * @example
 * ```ts
 * getUsdcAddress(SOLANA_MAINNET_CAIP2); // "EPjF…Dt1v"
 * ```
 */
export function getUsdcAddress(network: string): string {
  return getStablecoinAddress("USDC", network);
}

/**
 * The mint of a stablecoin (by symbol) on a network.
 *
 * @throws {X402Error} `invalid_network` when the network does not carry it.
 * @example
 * ```ts
 * getStablecoinAddress("USDC", "solana-devnet");
 * ```
 */
export function getStablecoinAddress(symbol: string, network: string): string {
  const found = stablecoin(symbol, network);
  if (!found) throw new X402Error("invalid_network", `no ${symbol} is known on ${network}`);
  return found.asset;
}

/**
 * The canonical symbol of a currency name (`"usdc"`, `"USDC"` → `"USDC"`), or undefined.
 *
 * @example
 * ```ts
 * getStablecoinSymbol("usdc"); // "USDC"
 * ```
 */
export function getStablecoinSymbol(currency: string): string | undefined {
  const upper = currency.trim().toUpperCase();
  return upper === "USDC" ? upper : undefined;
}

/**
 * The mint of a currency (by symbol, e.g. `"usdc"`) on a network, or undefined.
 *
 * @example
 * ```ts
 * resolveStablecoinMint("usdc", SOLANA_MAINNET_CAIP2); // USDC_MAINNET_ADDRESS
 * ```
 */
export function resolveStablecoinMint(currency: string, network: string): string | undefined {
  return stablecoin(currency, network)?.asset;
}

/**
 * The token program of a stablecoin on a network.
 *
 * @throws {X402Error} `invalid_network` when the network does not carry it.
 * @example
 * ```ts
 * getStablecoinTokenProgram("USDC", SOLANA_MAINNET_CAIP2); // TOKEN_PROGRAM_ADDRESS
 * ```
 */
export function getStablecoinTokenProgram(currency: string, network: string): string {
  const found = stablecoin(currency, network);
  if (!found) throw new X402Error("invalid_network", `no ${currency} is known on ${network}`);
  return found.tokenProgram;
}

function stablecoin(currency: string, network: string): SvmDefaultAsset | undefined {
  const symbol = getStablecoinSymbol(currency);
  const caip2 = tryNormalizeNetwork(network);
  return symbol && caip2 ? DEFAULT_ASSETS[caip2]?.find((entry) => entry.symbol === symbol) : undefined;
}
