import type { FacilitatorExtension, SchemeFacilitator } from "../schemes/facilitator.js";
import type { KeyValueStore } from "../storage/keyValueStore.js";

/**
 * One option a {@link FacilitatorPlugin} reads, per network or for its signer. The service
 * validates the type, fills the default, maps it to an environment variable and lists it in
 * `--help`; the plugin judges the meaning in {@link FacilitatorPlugin.parse}.
 *
 * @example
 * ```ts
 * const rpcUrl: FacilitatorPluginOption = { name: "rpcUrl", type: "url", required: true, description: "JSON-RPC endpoint" };
 * ```
 */
export interface FacilitatorPluginOption {
  /** camelCase field name in the config file; the environment uses it in SNAKE_CASE. */
  name: string;
  /** `secret` and `secret[]` values are never printed or echoed in errors. */
  type: "string" | "url" | "integer" | "boolean" | "string[]" | "secret" | "secret[]";
  description: string;
  required?: boolean;
  /** Shown in `--help`; the plugin applies it. */
  default?: string | number | boolean;
}

/**
 * A problem found in a family's configuration: the field (`networks.eip155:8453.rpcUrl`,
 * `signers.eip155.privateKeys`) and what is wrong, never the value of a secret.
 *
 * @example
 * ```ts
 * const problem: FacilitatorConfigProblem = { field: "signers.eip155.privateKeys", message: "is required" };
 * ```
 */
export interface FacilitatorConfigProblem {
  field: string;
  message: string;
}

/**
 * What a plugin receives: every network of its family and its signer options, with the
 * declared option types already checked.
 *
 * @example
 * ```ts
 * const input: FacilitatorPluginInput = {
 *   networks: { "eip155:8453": { rpcUrl: "https://mainnet.base.org" } },
 *   signer: { privateKeys: ["0x…"] },
 * };
 * ```
 */
export interface FacilitatorPluginInput {
  networks: Record<string, Record<string, unknown>>;
  signer: Record<string, unknown>;
}

/**
 * What a plugin may use while building its schemes.
 *
 * @example
 * ```ts
 * const context: FacilitatorPluginContext = { store: new MemoryStore() };
 * ```
 */
export interface FacilitatorPluginContext {
  /** Shared durable state (in-flight guards, pending settlements, idempotency records). */
  store: KeyValueStore;
  /** The service's logger, for background work (reconcilers); absent: the plugin stays quiet. */
  logger?: FacilitatorPluginLogger;
}

/**
 * Where a plugin reports background events (the service's logger fits).
 *
 * @example
 * ```ts
 * const logger: FacilitatorPluginLogger = { info: console.log, warn: console.warn, error: console.error };
 * ```
 */
export interface FacilitatorPluginLogger {
  info(message: string): void;
  warn?(message: string): void;
  error(message: string, error?: unknown): void;
}

/**
 * One scheme a plugin asks the service to register.
 *
 * @example
 * ```ts
 * const registration: FacilitatorPluginRegistration = { networks: ["eip155:8453"], scheme, redact: [rpcUrl] };
 * ```
 */
export interface FacilitatorPluginRegistration {
  /** Default 2. */
  x402Version?: 1 | 2;
  networks: string[];
  scheme: SchemeFacilitator;
  /** Strings (RPC URLs with API keys) to remove from messages the scheme returns. */
  redact?: string[];
  /** Facilitator extensions to register with it (e.g. gas sponsoring), each key once. */
  extensions?: readonly FacilitatorExtension[];
}

/**
 * The facilitator side of one chain family as a plugin of the facilitator service: which
 * CAIP-2 namespace it serves, the options it reads (per network and for its signer), how it
 * checks them and how it builds its schemes. Each chain package's facilitator subpath
 * exports one (`@x402kit/evm/exact/facilitator` → `exactEvmFacilitatorPlugin`).
 *
 * @example
 * ```ts
 * const facilitator = await createFacilitatorFromConfig(config, { plugins: [exactEvmFacilitatorPlugin] });
 * ```
 */
export interface FacilitatorPlugin<Config = unknown> {
  /** CAIP-2 namespace, e.g. `eip155`, `solana`. */
  readonly family: string;
  /** Options of each network entry (`networks["eip155:8453"].rpcUrl`). */
  readonly networkOptions: readonly FacilitatorPluginOption[];
  /** Options of the family's signer (`signers.eip155.privateKeys`). */
  readonly signerOptions: readonly FacilitatorPluginOption[];
  /** Check the family's config; problems are reported together. */
  parse(
    input: FacilitatorPluginInput,
  ): { ok: true; config: Config } | { ok: false; errors: FacilitatorConfigProblem[] };
  /** Build the schemes (may reach the network, e.g. to check an RPC's chain id). */
  create(config: Config, context: FacilitatorPluginContext): Promise<FacilitatorPluginRegistration[]>;
}

/**
 * Check a family's list of signer keys in a plugin's `parse`: at least one, each accepted by
 * `parse` (the parsed key, or `undefined` when malformed). Problems go to `errors` under
 * `field` and `field[index]`, never with the key itself; returns the keys that parsed.
 *
 * @example
 * ```ts
 * const keys = parseSignerKeys(signer.privateKeys, "signers.eip155.privateKeys", (key) =>
 *   typeof key === "string" && /^0x[0-9a-fA-F]{64}$/.test(key) ? key : undefined,
 *   { missing: "at least one private key is required", invalid: "must be a 0x-prefixed 32-byte hex key" }, errors);
 * ```
 */
export function parseSignerKeys<T>(
  keys: unknown,
  field: string,
  parse: (key: unknown) => T | undefined,
  messages: { missing: string; invalid: string },
  errors: FacilitatorConfigProblem[],
): T[] {
  if (!Array.isArray(keys) || keys.length === 0) {
    errors.push({ field, message: messages.missing });
    return [];
  }
  const parsed: T[] = [];
  keys.forEach((key, index) => {
    const value = parse(key);
    if (value === undefined) errors.push({ field: `${field}[${index}]`, message: messages.invalid });
    else parsed.push(value);
  });
  return parsed;
}
