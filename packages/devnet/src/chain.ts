import { type Chain, defineChain } from "viem";
import { DEVNET_CHAIN_ID, MULTICALL3_ADDRESS } from "./constants.js";

/**
 * A viem `Chain` for a local devnet at `rpcUrl`. It names Multicall3 at its canonical address,
 * so viem's `multicall` works once {@link startDevnet} has placed the contract there.
 *
 * @example
 * const chain = devnetChain("http://127.0.0.1:8545");
 * const client = createPublicClient({ chain, transport: http() });
 */
export function devnetChain(rpcUrl: string, chainId: number = DEVNET_CHAIN_ID): Chain {
  return defineChain({
    id: chainId,
    name: "x402kit devnet",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    contracts: { multicall3: { address: MULTICALL3_ADDRESS } },
    testnet: true,
  });
}
