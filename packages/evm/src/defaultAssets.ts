/**
 * A stablecoin an EVM server can price `"$0.01"` in.
 *
 * @example
 * ```ts
 * const coin: EvmStablecoin = { address: usdc, name: "USD Coin", version: "2", decimals: 6, symbol: "USDC" };
 * ```
 */
export interface EvmStablecoin {
  /** Token contract address (EIP-55 checksummed). */
  address: `0x${string}`;
  /** EIP-712 domain `name` of the token (goes into `extra.name`). */
  name: string;
  /** EIP-712 domain `version` of the token (goes into `extra.version`). */
  version: string;
  decimals: number;
  symbol: string;
}

const usdc = (address: `0x${string}`, name = "USD Coin"): EvmStablecoin => ({
  address,
  name,
  version: "2",
  decimals: 6,
  symbol: "USDC",
});

/**
 * Default stablecoin per CAIP-2 network: the asset a bare `"$0.01"` price resolves to.
 * All are EIP-3009 USDC deployments; the domain `name` differs per deployment (Base
 * Sepolia's is `"USDC"`), which is why it travels in `extra`.
 *
 * @example
 * ```ts
 * DEFAULT_STABLECOINS["eip155:8453"]?.address; // "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"
 * ```
 */
export const DEFAULT_STABLECOINS: Readonly<Record<string, EvmStablecoin>> = {
  "eip155:8453": usdc("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"), // Base
  "eip155:84532": usdc("0x036CbD53842c5426634e7929541eC2318f3dCF7e", "USDC"), // Base Sepolia
  "eip155:1": usdc("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"), // Ethereum
  "eip155:137": usdc("0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359"), // Polygon PoS
  "eip155:42161": usdc("0xaf88d065e77c8cC2239327C5EDb3A432268e5831"), // Arbitrum One
  "eip155:421614": usdc("0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d"), // Arbitrum Sepolia
  "eip155:43114": usdc("0xB97EF9Ef8734C71904D8002F8b6Bc66Dd9c48a6E"), // Avalanche C-Chain
  "eip155:42220": usdc("0xcebA9300f2b948710d2653dD7B07f33A8B32118C", "USDC"), // Celo
  "eip155:11142220": usdc("0x01C5C0122039549AD1493B8220cABEdD739BC44E", "USDC"), // Celo Sepolia
};

/**
 * The default stablecoin of a network, if it has one.
 *
 * @example
 * ```ts
 * getDefaultStablecoin("eip155:84532")?.name; // "USDC"
 * ```
 */
export function getDefaultStablecoin(network: string): EvmStablecoin | undefined {
  return Object.hasOwn(DEFAULT_STABLECOINS, network) ? DEFAULT_STABLECOINS[network] : undefined;
}

/**
 * The default stablecoin of `network` whose address is `asset` (case-insensitive).
 *
 * @example
 * ```ts
 * findDefaultStablecoin("eip155:8453", "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913")?.symbol; // "USDC"
 * ```
 */
export function findDefaultStablecoin(network: string, asset: string): EvmStablecoin | undefined {
  const coin = getDefaultStablecoin(network);
  return coin && coin.address.toLowerCase() === asset.toLowerCase() ? coin : undefined;
}
