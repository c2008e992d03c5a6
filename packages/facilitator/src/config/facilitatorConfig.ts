/** How to reach one network. */
export interface FacilitatorNetworkConfig {
  /** JSON-RPC endpoint (http or https). */
  rpcUrl: string;
  /** How often to poll for a settlement's receipt. Default 1000 ms. */
  pollingIntervalMs?: number;
}

/**
 * Everything a facilitator service needs. Built by {@link loadFacilitatorConfig} from a
 * JSON file and environment variables, or by hand and checked with
 * {@link validateFacilitatorConfig}.
 *
 * @example
 * ```json
 * {
 *   "networks": { "eip155:31337": { "rpcUrl": "http://127.0.0.1:8545" } },
 *   "signerKey": "0x…",
 *   "port": 4020,
 *   "host": "127.0.0.1"
 * }
 * ```
 */
export interface FacilitatorConfig {
  /** CAIP-2 network id (`eip155:<chainId>`) → how to reach it. */
  networks: Record<string, FacilitatorNetworkConfig>;
  /** Private key of the account that submits settlements and pays gas. Never logged. */
  signerKey: `0x${string}`;
  /** Default 4020. */
  port: number;
  /** Default `127.0.0.1`. */
  host: string;
  /** Bearer token(s) clients must present; unset means the service is open. */
  apiKey?: string | string[];
  /** Largest accepted request body in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
}

/** Top-level fields a config file may contain; anything else is reported as a likely typo. */
export const CONFIG_FIELDS = ["networks", "signerKey", "port", "host", "apiKey", "maxBodyBytes"] as const;
/** Fields of one network entry. */
export const NETWORK_FIELDS = ["rpcUrl", "pollingIntervalMs"] as const;
