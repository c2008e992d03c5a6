import { configError } from "./configError.js";

/** Environment variables read by {@link readEnvConfig}, and the config field each one sets. */
export const CONFIG_ENV = {
  X402_FACILITATOR_PRIVATE_KEY: "signerKey",
  X402_FACILITATOR_PORT: "port",
  X402_FACILITATOR_HOST: "host",
  X402_FACILITATOR_API_KEY: "apiKey",
  X402_FACILITATOR_MAX_BODY_BYTES: "maxBodyBytes",
} as const;

/** Prefix of per-chain RPC variables: `X402_RPC_URL_8453=https://…` serves `eip155:8453`. */
export const RPC_URL_ENV_PREFIX = "X402_RPC_URL_";

/** Config fields taken from the environment, and the variable that set each (for error messages). */
export interface EnvConfig {
  values: Record<string, unknown> & { networks?: Record<string, { rpcUrl: string }> };
  sources: Record<string, string>;
}

/**
 * Read the facilitator's environment variables (see {@link CONFIG_ENV} and
 * `X402_RPC_URL_<chainId>`). Empty variables count as unset. Values are only converted
 * here (numbers, comma-separated API keys); {@link validateFacilitatorConfig} judges them.
 *
 * @example
 * ```ts
 * readEnvConfig({ X402_RPC_URL_31337: "http://127.0.0.1:8545" }).values;
 * // { networks: { "eip155:31337": { rpcUrl: "http://127.0.0.1:8545" } } }
 * ```
 */
export function readEnvConfig(env: Record<string, string | undefined>): EnvConfig {
  const values: EnvConfig["values"] = {};
  const sources: Record<string, string> = {};
  for (const [name, field] of Object.entries(CONFIG_ENV)) {
    const text = env[name]?.trim();
    if (!text) continue;
    values[field] = convert(field, text);
    sources[field] = name;
  }
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(RPC_URL_ENV_PREFIX) || !value?.trim()) continue;
    const chainId = name.slice(RPC_URL_ENV_PREFIX.length);
    if (!/^[1-9]\d{0,15}$/.test(chainId))
      throw configError(name, `the suffix must be a decimal chain id, e.g. ${RPC_URL_ENV_PREFIX}8453`);
    const network = `eip155:${chainId}`;
    values.networks ??= {};
    values.networks[network] = { rpcUrl: value.trim() };
    sources[`networks.${network}.rpcUrl`] = name;
  }
  return { values, sources };
}

function convert(field: string, text: string): unknown {
  if (field === "port" || field === "maxBodyBytes") return /^\d+$/.test(text) ? Number(text) : text;
  if (field === "apiKey") {
    // Comma-separated keys allow rotation: serve old and new until every client moved.
    const keys = text.split(",").map((key) => key.trim());
    return keys.length > 1 ? keys : text;
  }
  return text;
}
