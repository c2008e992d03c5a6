import { Horizon, rpc } from "@stellar/stellar-sdk";
import { X402Error } from "@x402kit/core";
import {
  DEFAULT_ESTIMATED_LEDGER_SECONDS,
  DEFAULT_PUBNET_HORIZON_URL,
  DEFAULT_TESTNET_HORIZON_URL,
  DEFAULT_TESTNET_RPC_URL,
  DEFAULT_TOKEN_DECIMALS,
  STELLAR_PUBNET_CAIP2,
  STELLAR_TESTNET_CAIP2,
  USDC_PUBNET_ADDRESS,
  USDC_TESTNET_ADDRESS,
} from "./constants.js";

/**
 * What x402kit knows of one Stellar network. Register your own (a standalone network, a
 * private one) with {@link registerStellarNetwork}.
 *
 * @example
 * ```ts
 * const local: StellarNetworkInfo = { networkPassphrase: "Standalone Network ; February 2017", rpcUrl: "http://127.0.0.1:8000/rpc" };
 * ```
 */
export interface StellarNetworkInfo {
  networkPassphrase: string;
  /** Default Soroban RPC (pubnet has none: configure one). */
  rpcUrl?: string;
  /** Horizon, for the ledger close time estimate. */
  horizonUrl?: string;
  /** A fixed ledger close time (skips Horizon), in seconds. */
  estimatedLedgerSeconds?: number;
  /** The token `"$0.01"` prices resolve to. */
  defaultAsset?: { address: string; decimals: number; symbol?: string };
}

const table = new Map<string, StellarNetworkInfo>([
  [
    STELLAR_PUBNET_CAIP2,
    {
      networkPassphrase: "Public Global Stellar Network ; September 2015",
      horizonUrl: DEFAULT_PUBNET_HORIZON_URL,
      defaultAsset: { address: USDC_PUBNET_ADDRESS, decimals: DEFAULT_TOKEN_DECIMALS, symbol: "USDC" },
    },
  ],
  [
    STELLAR_TESTNET_CAIP2,
    {
      networkPassphrase: "Test SDF Network ; September 2015",
      rpcUrl: DEFAULT_TESTNET_RPC_URL,
      horizonUrl: DEFAULT_TESTNET_HORIZON_URL,
      defaultAsset: { address: USDC_TESTNET_ADDRESS, decimals: DEFAULT_TOKEN_DECIMALS, symbol: "USDC" },
    },
  ],
]);

const passphrases = new Map<string, string>([...table].map(([id, info]) => [id, info.networkPassphrase]));

/**
 * CAIP-2 id → network passphrase of every known Stellar network (the official name; ours
 * also lists the networks added with {@link registerStellarNetwork}).
 *
 * @example
 * ```ts
 * STELLAR_NETWORK_TO_PASSPHRASE.get("stellar:testnet"); // "Test SDF Network ; September 2015"
 * ```
 */
export const STELLAR_NETWORK_TO_PASSPHRASE: ReadonlyMap<string, string> = passphrases;

/**
 * Add (or replace) a Stellar network in the table every role reads, e.g. a local standalone
 * network: `stellar:<reference>` with its passphrase, RPC and default asset.
 *
 * @throws {X402Error} `invalid_network` for an id that is not `stellar:<reference>` or an empty passphrase.
 * @example
 * ```ts
 * registerStellarNetwork("stellar:local", { networkPassphrase: "Standalone Network ; February 2017", rpcUrl: "http://127.0.0.1:8000" });
 * ```
 */
export function registerStellarNetwork(network: string, info: StellarNetworkInfo): void {
  if (!/^stellar:[-_a-zA-Z0-9]{1,32}$/.test(network) || network === "stellar:*")
    throw new X402Error("invalid_network", `"${network}" is not a stellar:<reference> network id`);
  if (!info.networkPassphrase) throw new X402Error("invalid_network", "a network passphrase is required");
  table.set(network, { ...info });
  passphrases.set(network, info.networkPassphrase);
}

/**
 * What the table knows of a network, or `undefined`.
 *
 * @example
 * ```ts
 * getStellarNetwork("stellar:pubnet")?.networkPassphrase;
 * ```
 */
export function getStellarNetwork(network: string): StellarNetworkInfo | undefined {
  return table.get(network);
}

/**
 * True for a network of the table (pubnet, testnet and registered ones).
 *
 * @example
 * ```ts
 * isStellarNetwork("stellar:testnet"); // true
 * ```
 */
export function isStellarNetwork(network: string): boolean {
  return table.has(network);
}

/**
 * The passphrase of a known network.
 *
 * @throws {X402Error} `invalid_network` for an unknown one.
 * @example
 * ```ts
 * getNetworkPassphrase("stellar:pubnet"); // "Public Global Stellar Network ; September 2015"
 * ```
 */
export function getNetworkPassphrase(network: string): string {
  return requireNetwork(network).networkPassphrase;
}

/** A custom RPC endpoint (the official `RpcConfig`), and how long one call may take. */
export interface RpcConfig {
  url?: string;
  /** Milliseconds before an RPC call is abandoned (a hung call must not hold a signer). Default 15,000. */
  timeoutMs?: number;
}

/**
 * Default bound of one Soroban RPC call, in milliseconds.
 *
 * @example
 * ```ts
 * getRpcClient("stellar:testnet", { timeoutMs: DEFAULT_RPC_TIMEOUT_MS * 2 });
 * ```
 */
export const DEFAULT_RPC_TIMEOUT_MS = 15_000;

/**
 * The RPC URL of a network: the configured one, else the table's default.
 *
 * @throws {X402Error} `invalid_network` for an unknown network or one without a default (pubnet).
 * @example
 * ```ts
 * getRpcUrl("stellar:testnet"); // "https://soroban-testnet.stellar.org"
 * ```
 */
export function getRpcUrl(network: string, rpcConfig?: RpcConfig): string {
  const url = rpcConfig?.url || requireNetwork(network).rpcUrl;
  if (!url)
    throw new X402Error("invalid_network", `${network} has no default Soroban RPC: configure an rpcUrl`);
  return url;
}

/**
 * A Soroban RPC client for a network, every call bounded by `rpcConfig.timeoutMs` (default
 * {@link DEFAULT_RPC_TIMEOUT_MS}). Plain HTTP is allowed for loopback and non-pubnet URLs.
 *
 * @example
 * ```ts
 * const server = getRpcClient("stellar:testnet");
 * await server.getLatestLedger();
 * ```
 */
export function getRpcClient(network: string, rpcConfig?: RpcConfig): rpc.Server {
  const url = getRpcUrl(network, rpcConfig);
  const server = new rpc.Server(url, { allowHttp: network !== STELLAR_PUBNET_CAIP2 || isLoopback(url) });
  const timeout = rpcConfig?.timeoutMs;
  // The SDK ignores its own `timeout` option for RPC: set it on the HTTP client.
  server.httpClient.defaults.timeout =
    typeof timeout === "number" && Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_RPC_TIMEOUT_MS;
  return server;
}

/**
 * A Horizon client for a network that has one in the table.
 *
 * @throws {X402Error} `invalid_network` when the network has no Horizon.
 * @example
 * ```ts
 * const horizon = getHorizonClient("stellar:testnet");
 * ```
 */
export function getHorizonClient(network: string): Horizon.Server {
  const url = requireNetwork(network).horizonUrl;
  if (!url) throw new X402Error("invalid_network", `${network} has no Horizon URL`);
  return new Horizon.Server(url, { allowHttp: isLoopback(url) });
}

const estimates = new Map<string, { seconds: number; until: number }>();

/**
 * Seconds per ledger: the table's fixed value, else the average of Horizon's last 20 ledgers
 * (cached for a minute), else {@link DEFAULT_ESTIMATED_LEDGER_SECONDS}.
 *
 * @example
 * ```ts
 * const seconds = await getEstimatedLedgerCloseTimeSeconds("stellar:testnet"); // e.g. 6
 * ```
 */
export async function getEstimatedLedgerCloseTimeSeconds(network: string): Promise<number> {
  const info = getStellarNetwork(network);
  if (info?.estimatedLedgerSeconds) return info.estimatedLedgerSeconds;
  const cached = estimates.get(network);
  if (cached && cached.until > Date.now()) return cached.seconds;
  let seconds = DEFAULT_ESTIMATED_LEDGER_SECONDS;
  try {
    const page = await getHorizonClient(network).ledgers().limit(20).order("desc").call();
    const records = page.records;
    if (records.length >= 2) {
      const newest = Date.parse(records[0]!.closed_at) / 1000;
      const oldest = Date.parse(records[records.length - 1]!.closed_at) / 1000;
      seconds = Math.max(1, Math.ceil((newest - oldest) / (records.length - 1)));
    }
  } catch {
    // No Horizon reachable: keep the default.
  }
  estimates.set(network, { seconds, until: Date.now() + 60_000 });
  return seconds;
}

/**
 * The default asset (USDC) of a network.
 *
 * @throws {X402Error} `invalid_network` when the network has none.
 * @example
 * ```ts
 * getUsdcAddress("stellar:pubnet"); // "CCW67TSZ…"
 * ```
 */
export function getUsdcAddress(network: string): string {
  const asset = getStellarNetwork(network)?.defaultAsset;
  if (!asset) throw new X402Error("invalid_network", `no default asset is configured for ${network}`);
  return asset.address;
}

function requireNetwork(network: string): StellarNetworkInfo {
  const info = table.get(network);
  if (!info) throw new X402Error("invalid_network", `unknown Stellar network ${network}`);
  return info;
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  } catch {
    return false;
  }
}
