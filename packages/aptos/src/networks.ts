import { Network, NetworkToNodeAPI } from "@aptos-labs/ts-sdk";
import { X402Error } from "@x402kit/core";
import {
  APTOS_LOCAL_CAIP2,
  APTOS_MAINNET_CAIP2,
  APTOS_TESTNET_CAIP2,
  USDC_MAINNET_FA,
  USDC_TESTNET_FA,
} from "./constants.js";

/**
 * A USD-pegged fungible asset a network prices `"$0.01"` in.
 *
 * @example
 * ```ts
 * const usdc: AptosDefaultAsset = { asset: USDC_TESTNET_FA, decimals: 6, symbol: "USDC" };
 * ```
 */
export interface AptosDefaultAsset {
  /** Fungible-asset metadata address, long form. */
  asset: string;
  decimals: number;
  symbol: string;
}

/**
 * What x402kit knows about one Aptos network: its chain id, where its fullnode REST API is and
 * which assets a `"$0.01"` price may resolve to (the first is the default).
 *
 * @example
 * ```ts
 * const local: AptosNetworkConfig = { network: "aptos:4", chainId: 4, nodeUrl: "http://127.0.0.1:8080/v1", assets: [] };
 * ```
 */
export interface AptosNetworkConfig {
  /** CAIP-2 id, `aptos:<chain id>`. */
  network: string;
  chainId: number;
  /** Fullnode REST base URL, ending in `/v1`. */
  nodeUrl?: string;
  /** USD-pegged assets, the default first. */
  assets?: readonly AptosDefaultAsset[];
  /** The SDK's network name (changes only SDK defaults; the URL above wins). Default `local`. */
  sdkNetwork?: Network;
}

const usdc = (asset: string): AptosDefaultAsset => ({ asset, decimals: 6, symbol: "USDC" });

const table = new Map<string, AptosNetworkConfig>([
  [
    APTOS_MAINNET_CAIP2,
    {
      network: APTOS_MAINNET_CAIP2,
      chainId: 1,
      nodeUrl: "https://api.mainnet.aptoslabs.com/v1",
      assets: [usdc(USDC_MAINNET_FA)],
      sdkNetwork: Network.MAINNET,
    },
  ],
  [
    APTOS_TESTNET_CAIP2,
    {
      network: APTOS_TESTNET_CAIP2,
      chainId: 2,
      nodeUrl: "https://api.testnet.aptoslabs.com/v1",
      assets: [usdc(USDC_TESTNET_FA)],
      sdkNetwork: Network.TESTNET,
    },
  ],
  [
    APTOS_LOCAL_CAIP2,
    {
      network: APTOS_LOCAL_CAIP2,
      chainId: 4,
      nodeUrl: "http://127.0.0.1:8080/v1",
      sdkNetwork: Network.LOCAL,
    },
  ],
]);

const CAIP2 = /^aptos:([1-9]\d{0,2})$/;

/**
 * The chain id inside an `aptos:<chain id>` network id. Any chain id 1–255 is accepted (the
 * transaction's `chain_id` is a u8), so a local chain works without registration.
 *
 * @throws {X402Error} `invalid_network` for anything else.
 * @example
 * ```ts
 * getAptosChainId("aptos:2"); // 2
 * ```
 */
export function getAptosChainId(network: string): number {
  const chainId = tryGetAptosChainId(network);
  if (chainId === undefined)
    throw new X402Error("invalid_network", `"${network}" is not an aptos:<chain id 1-255> network`);
  return chainId;
}

/**
 * Like {@link getAptosChainId}, `undefined` instead of throwing.
 *
 * @example
 * ```ts
 * tryGetAptosChainId("eip155:1"); // undefined
 * ```
 */
export function tryGetAptosChainId(network: unknown): number | undefined {
  const digits = typeof network === "string" ? CAIP2.exec(network)?.[1] : undefined;
  const chainId = digits === undefined ? Number.NaN : Number(digits);
  return chainId >= 1 && chainId <= 255 ? chainId : undefined;
}

/**
 * Add or replace a network in the table every role reads (node URL, default assets), e.g. a
 * local chain with its own test stablecoin, or devnet with its current chain id.
 *
 * @throws {X402Error} `invalid_network` when `network` and `chainId` disagree.
 * @example
 * ```ts
 * registerAptosNetwork({ network: "aptos:4", chainId: 4, nodeUrl: ledger.url, assets: [{ asset, decimals: 6, symbol: "USDC" }] });
 * ```
 */
export function registerAptosNetwork(config: AptosNetworkConfig): AptosNetworkConfig {
  if (getAptosChainId(config.network) !== config.chainId)
    throw new X402Error("invalid_network", `${config.network} does not name chain id ${config.chainId}`);
  const entry = { ...config, assets: [...(config.assets ?? [])] };
  table.set(config.network, entry);
  return entry;
}

/**
 * The table's entry of a network, if any.
 *
 * @example
 * ```ts
 * getAptosNetworkConfig("aptos:1")?.nodeUrl; // "https://api.mainnet.aptoslabs.com/v1"
 * ```
 */
export function getAptosNetworkConfig(network: string): AptosNetworkConfig | undefined {
  return table.get(network);
}

/**
 * Every network of the table.
 *
 * @example
 * ```ts
 * listAptosNetworks().map((n) => n.network); // ["aptos:1", "aptos:2", "aptos:4"]
 * ```
 */
export function listAptosNetworks(): AptosNetworkConfig[] {
  return [...table.values()];
}

/**
 * The SDK's `Network` for a CAIP-2 id (`local` for a network the SDK has no name for).
 *
 * @example
 * ```ts
 * getAptosNetwork("aptos:1"); // Network.MAINNET
 * ```
 */
export function getAptosNetwork(network: string): Network {
  getAptosChainId(network);
  return table.get(network)?.sdkNetwork ?? Network.LOCAL;
}

/**
 * The fullnode REST URL of a network (a CAIP-2 id, or the SDK's network name): the table's,
 * else an error (a custom chain needs one).
 *
 * @throws {X402Error} `invalid_network` when the table has no URL for it.
 * @example
 * ```ts
 * getAptosRpcUrl("aptos:2"); // "https://api.testnet.aptoslabs.com/v1"
 * ```
 */
export function getAptosRpcUrl(network: string | Network): string {
  // The official helper takes the SDK's Network name ("mainnet", …): accepted too.
  const url = network.startsWith("aptos:") ? table.get(network)?.nodeUrl : NetworkToNodeAPI[network];
  if (!url)
    throw new X402Error(
      "invalid_network",
      `no node URL is known for ${network}; pass one (rpcUrl) or registerAptosNetwork() it`,
    );
  return url;
}
