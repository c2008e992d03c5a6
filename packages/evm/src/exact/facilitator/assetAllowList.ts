import { getDefaultStablecoin } from "../../defaultAssets.js";

/**
 * Which tokens a facilitator settles: a list of addresses (added to the network's known
 * stablecoin), or `"any"` to accept every contract.
 *
 * @example
 * ```ts
 * const allowed: AllowedAssets = ["0x036CbD53842c5426634e7929541eC2318f3dCF7e"];
 * ```
 */
export type AllowedAssets = readonly string[] | "any";

/** Local development chains (anvil, hardhat, geth --dev): no known token, every token accepted by default. */
const LOCAL_CHAIN_IDS = new Set([31337, 1337]);

/**
 * The facilitator's asset test for one chain. Default (nothing configured): the known
 * stablecoin of the network ({@link getDefaultStablecoin}), or any token on a local
 * development chain (31337, 1337). Configured addresses are added to the known one;
 * `"any"` turns the allow-list off.
 *
 * @example
 * ```ts
 * const isAllowed = assetAllowList(8453);
 * isAllowed("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"); // true (USDC on Base)
 * ```
 */
export function assetAllowList(chainId: number, configured?: AllowedAssets): (asset: string) => boolean {
  if (configured === "any" || (configured === undefined && LOCAL_CHAIN_IDS.has(chainId))) return () => true;
  const known = getDefaultStablecoin(`eip155:${chainId}`);
  const allowed = new Set(
    [...(configured ?? []), ...(known ? [known.address] : [])].map((a) => a.toLowerCase()),
  );
  return (asset) => allowed.has(asset.toLowerCase());
}
