import type { ViemFacilitatorClients } from "@x402kit/evm/exact/facilitator";
import {
  type Account,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type PublicClient,
} from "viem";
import type { FacilitatorNetworkConfig } from "../config/facilitatorConfig.js";

/** Start-up requests fail fast rather than hang the service for minutes. */
const RPC_TIMEOUT_MS = 10_000;

/**
 * viem clients for one EVM network of the config, signing locally with `account`.
 *
 * @example
 * ```ts
 * const { walletClient, publicClient } = createEvmClients(31337, { rpcUrl: "http://127.0.0.1:8545" }, account);
 * ```
 */
export function createEvmClients(
  chainId: number,
  network: FacilitatorNetworkConfig,
  account: Account,
): ViemFacilitatorClients & { publicClient: PublicClient } {
  const chain = defineChain({
    id: chainId,
    name: `eip155:${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [network.rpcUrl] } },
  });
  const transport = http(network.rpcUrl, { timeout: RPC_TIMEOUT_MS, retryCount: 2 });
  const pollingInterval = network.pollingIntervalMs ?? 1_000;
  const publicClient = createPublicClient({ chain, transport, pollingInterval }) as PublicClient;
  const walletClient = createWalletClient({ chain, transport, account, pollingInterval });
  return { walletClient, publicClient };
}
