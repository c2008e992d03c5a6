/**
 * Everything a facilitator service needs, chain-neutral: networks keyed by CAIP-2 id with the
 * options their family's plugin reads, one signer per chain family, and the service's own
 * settings. Built by {@link loadFacilitatorConfig} from a JSON file and environment variables,
 * or by hand and checked with {@link validateFacilitatorConfig}.
 *
 * @example
 * ```json
 * {
 *   "networks": { "eip155:8453": { "rpcUrl": "https://mainnet.base.org", "receiptTimeoutMs": 20000 } },
 *   "signers": { "eip155": { "privateKeys": ["0x…"] } },
 *   "store": "sqlite:/var/lib/x402/facilitator.db",
 *   "port": 4020
 * }
 * ```
 */
export interface FacilitatorConfig {
  /** CAIP-2 network id → the options of its family's plugin (EVM: `rpcUrl`, `receiptTimeoutMs`, …). */
  networks: Record<string, Record<string, unknown>>;
  /** CAIP-2 namespace (`eip155`, `solana`, …) → the signer options of that family's plugin. */
  signers: Record<string, Record<string, unknown>>;
  /** Default 4020. */
  port: number;
  /** Default `127.0.0.1`. */
  host: string;
  /** Bearer token(s) clients must present; unset means the service is open. */
  apiKey?: string | string[];
  /** Largest accepted request body in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  /**
   * Where idempotency state lives: `memory` (default; one process, lost on restart),
   * `sqlite:<path>` (one durable node), `redis://…` / `rediss://…` or `postgres://…` /
   * `postgresql://…` (shared by several instances).
   */
  store: string;
}

/** @deprecated Network entries are plugin options now; kept for code that named the type. */
export type FacilitatorNetworkConfig = Record<string, unknown> & { rpcUrl?: string };

/** One setting of the service itself: its field, environment variable and help text. */
export interface ServiceOption {
  field: "port" | "host" | "apiKey" | "maxBodyBytes" | "store";
  env: string;
  description: string;
}

/** The service's own settings (the plugins add per-network and per-signer ones). */
export const SERVICE_OPTIONS: readonly ServiceOption[] = [
  {
    field: "port",
    env: "X402_FACILITATOR_PORT",
    description: "port to listen on (default 4020; 0 picks a free one)",
  },
  { field: "host", env: "X402_FACILITATOR_HOST", description: "interface to bind (default 127.0.0.1)" },
  {
    field: "apiKey",
    env: "X402_FACILITATOR_API_KEY",
    description: "bearer token(s) required on every endpoint but /health (comma-separated to rotate)",
  },
  {
    field: "maxBodyBytes",
    env: "X402_FACILITATOR_MAX_BODY_BYTES",
    description: "largest request body in bytes (default 65536); larger ones get 413",
  },
  {
    field: "store",
    env: "X402_FACILITATOR_STORE",
    description: "memory | sqlite:<path> | redis://… | postgres://… (default memory)",
  },
];

/** Top-level fields a config file may contain; anything else is reported as a likely typo. */
export const CONFIG_FIELDS = [
  "networks",
  "signers",
  "signerKey",
  "port",
  "host",
  "apiKey",
  "maxBodyBytes",
  "store",
] as const;
