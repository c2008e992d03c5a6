import { configError } from "./configError.js";
import {
  CONFIG_FIELDS,
  type FacilitatorConfig,
  type FacilitatorNetworkConfig,
  NETWORK_FIELDS,
} from "./facilitatorConfig.js";

/** Names a field in error messages, e.g. `port` → `X402_FACILITATOR_PORT` when env set it. */
export type FieldLabel = (field: string) => string;

const EVM_NETWORK = /^eip155:[1-9]\d{0,15}$/;
const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;

/**
 * Check a configuration object and fill in defaults (port 4020, host `127.0.0.1`).
 *
 * @throws {X402Error} `invalid_facilitator_config` naming the first bad field.
 * @example
 * ```ts
 * const config = validateFacilitatorConfig({
 *   networks: { "eip155:8453": { rpcUrl: "https://mainnet.base.org" } },
 *   signerKey: process.env.KEY,
 * });
 * ```
 */
export function validateFacilitatorConfig(
  input: unknown,
  label: FieldLabel = (field) => field,
): FacilitatorConfig {
  const raw = expectObject(input, "(config)", label);
  rejectUnknown(raw, CONFIG_FIELDS, "", label);

  const config: FacilitatorConfig = {
    networks: validateNetworks(raw.networks, label),
    signerKey: validateSignerKey(raw.signerKey, label),
    port: raw.port === undefined ? 4020 : validatePort(raw.port, label("port")),
    host: raw.host === undefined ? "127.0.0.1" : validateHost(raw.host, label("host")),
  };
  if (raw.apiKey !== undefined) config.apiKey = validateApiKey(raw.apiKey, label("apiKey"));
  if (raw.maxBodyBytes !== undefined)
    config.maxBodyBytes = positiveInteger(raw.maxBodyBytes, label("maxBodyBytes"));
  return config;
}

function validateNetworks(value: unknown, label: FieldLabel): Record<string, FacilitatorNetworkConfig> {
  const hint = 'at least one network is required (config "networks" or X402_RPC_URL_<chainId>)';
  if (value === undefined) throw configError(label("networks"), hint);
  const networks = expectObject(value, "networks", label);
  const entries = Object.entries(networks);
  if (entries.length === 0) throw configError(label("networks"), hint);
  const result: Record<string, FacilitatorNetworkConfig> = {};
  for (const [network, entry] of entries) {
    const field = `networks.${network}`;
    if (!EVM_NETWORK.test(network))
      throw configError(
        label(field),
        "the key must be an EVM network id eip155:<chainId> (the only family served)",
      );
    const raw = expectObject(entry, field, label);
    rejectUnknown(raw, NETWORK_FIELDS, `${field}.`, label);
    const config: FacilitatorNetworkConfig = { rpcUrl: validateRpcUrl(raw.rpcUrl, label(`${field}.rpcUrl`)) };
    if (raw.pollingIntervalMs !== undefined)
      config.pollingIntervalMs = positiveInteger(raw.pollingIntervalMs, label(`${field}.pollingIntervalMs`));
    result[network] = config;
  }
  return result;
}

/** The key itself is never echoed: it is a secret even when malformed. */
function validateSignerKey(value: unknown, label: FieldLabel): `0x${string}` {
  const field = label("signerKey");
  if (value === undefined)
    throw configError(field, 'is required (config "signerKey" or X402_FACILITATOR_PRIVATE_KEY)');
  if (typeof value !== "string" || !PRIVATE_KEY.test(value))
    throw configError(field, "must be a 0x-prefixed 32-byte hex private key (64 hex digits)");
  return value as `0x${string}`;
}

function validateRpcUrl(value: unknown, field: string): string {
  if (value === undefined) throw configError(field, "is required");
  if (typeof value !== "string") throw configError(field, "must be a string");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(field, "is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw configError(field, `must be an http(s) URL, got ${url.protocol}`);
  return value;
}

function validatePort(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535)
    throw configError(field, "must be an integer between 0 and 65535");
  return value;
}

function validateHost(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "")
    throw configError(field, "must be a non-empty string");
  return value;
}

function validateApiKey(value: unknown, field: string): string | string[] {
  const ok = (key: unknown) => typeof key === "string" && key.length >= 8 && !/\s/.test(key);
  const problem = "must be a string of at least 8 characters without spaces, or a non-empty list of them";
  if (Array.isArray(value)) {
    if (value.length === 0 || !value.every(ok)) throw configError(field, problem);
    return value as string[];
  }
  if (!ok(value)) throw configError(field, problem);
  return value as string;
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0)
    throw configError(field, "must be a positive integer");
  return value;
}

function expectObject(value: unknown, field: string, label: FieldLabel): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw configError(label(field), "must be a JSON object");
  return value as Record<string, unknown>;
}

function rejectUnknown(
  object: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
  label: FieldLabel,
): void {
  const unknown = Object.keys(object).find((key) => !known.includes(key));
  if (unknown !== undefined)
    throw configError(label(`${prefix}${unknown}`), `unknown field (expected one of: ${known.join(", ")})`);
}
