import type { SpendControls } from "@x402kit/core/client";

/**
 * What the examples' clients may spend: the local test USDC is unknown to the built-in asset
 * table, so it is allowed by address, at most 0.05 a payment and 1.00 in total (atomic units,
 * 6 decimals). Anything else is refused.
 *
 * @example
 * ```ts
 * new x402Client().setSpendControls(localSpendControls(devnet.network, devnet.usdc.address));
 * ```
 */
export function localSpendControls(network: string, asset: string): SpendControls {
  return { allowedAssets: [{ network, asset, maxAmountPerPayment: "50000", maxTotal: "1000000" }] };
}
