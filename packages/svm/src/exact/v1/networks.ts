import { V1_TO_V2_NETWORK_MAP } from "../../constants.js";

/**
 * The x402 v1 Solana network names (`solana`, `solana-devnet`, `solana-testnet`).
 *
 * @example
 * ```ts
 * NETWORKS.includes("solana-devnet"); // true
 * ```
 */
export const NETWORKS: string[] = Object.keys(V1_TO_V2_NETWORK_MAP);
