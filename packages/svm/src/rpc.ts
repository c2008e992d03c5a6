import { createSolanaRpc } from "@solana/kit";
import {
  DEVNET_RPC_URL,
  MAINNET_RPC_URL,
  SOLANA_DEVNET_CAIP2,
  SOLANA_MAINNET_CAIP2,
  TESTNET_RPC_URL,
} from "./constants.js";
import { normalizeNetwork } from "./network.js";

/** A kit Solana RPC client. */
export type SvmRpc = ReturnType<typeof createSolanaRpc>;

/**
 * A kit RPC client for a Solana network: `customRpcUrl` when given (a local chain labelled
 * devnet, a paid endpoint), else the cluster's public endpoint.
 *
 * @throws {X402Error} `invalid_network` for a network that is not a Solana cluster.
 * @example
 * ```ts
 * const rpc = createRpcClient("solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "http://127.0.0.1:8899");
 * ```
 */
export function createRpcClient(network: string, customRpcUrl?: string): SvmRpc {
  const caip2 = normalizeNetwork(network);
  const url =
    customRpcUrl ??
    (caip2 === SOLANA_MAINNET_CAIP2
      ? MAINNET_RPC_URL
      : caip2 === SOLANA_DEVNET_CAIP2
        ? DEVNET_RPC_URL
        : TESTNET_RPC_URL);
  return createSolanaRpc(url);
}
