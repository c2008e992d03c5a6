import type { FacilitatorPluginOption } from "@x402kit/core/facilitator";
import type { PluginTable } from "../plugins/resolvePlugins.js";
import { configError } from "./configError.js";
import {
  LEGACY_PRIVATE_KEY_ENV,
  LEGACY_RPC_URL_ENV_PREFIX,
  NETWORK_ENV_PREFIX,
  SIGNER_ENV_PREFIX,
  toEnvCase,
} from "./envNames.js";
import { SERVICE_OPTIONS } from "./facilitatorConfig.js";

/** Config fields taken from the environment, and the variable that set each (for error messages). */
export interface EnvConfig {
  values: {
    networks?: Record<string, Record<string, unknown>>;
    signers?: Record<string, Record<string, unknown>>;
    [field: string]: unknown;
  };
  /** Field path (`port`, `networks.eip155:8453.rpcUrl`) → variable name. */
  sources: Record<string, string>;
}

/**
 * The CAIP-2 namespaces the environment configures (to know which plugins to load).
 *
 * @example
 * ```ts
 * envFamilies({ X402_NETWORKS_EIP155_8453_RPC_URL: "https://…" }); // ["eip155"]
 * ```
 */
export function envFamilies(env: Record<string, string | undefined>): string[] {
  const families = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value?.trim()) continue;
    for (const prefix of [NETWORK_ENV_PREFIX, SIGNER_ENV_PREFIX])
      if (name.startsWith(prefix)) families.add(name.slice(prefix.length).split("_", 1)[0]!.toLowerCase());
    if (name.startsWith(LEGACY_RPC_URL_ENV_PREFIX) || name === LEGACY_PRIVATE_KEY_ENV) families.add("eip155");
  }
  return [...families].filter(Boolean);
}

/**
 * Read the facilitator's environment variables: the service options (`X402_FACILITATOR_PORT`,
 * …), every plugin's network options (`X402_NETWORKS_<NAMESPACE>_<REFERENCE>_<OPTION>`) and
 * signer options (`X402_SIGNERS_<NAMESPACE>_<OPTION>`), and the older EVM names
 * `X402_RPC_URL_<chainId>` / `X402_FACILITATOR_PRIVATE_KEY`. Empty variables count as unset.
 * Values are only converted here (numbers, booleans, comma-separated lists); validation judges them.
 *
 * @throws {X402Error} `invalid_facilitator_config` for a variable that names no known option.
 * @example
 * ```ts
 * readEnvConfig({ X402_NETWORKS_EIP155_31337_RPC_URL: "http://127.0.0.1:8545" }, plugins).values;
 * // { networks: { "eip155:31337": { rpcUrl: "http://127.0.0.1:8545" } } }
 * ```
 */
export function readEnvConfig(
  env: Record<string, string | undefined>,
  plugins: PluginTable,
  knownNetworks: readonly string[] = [],
): EnvConfig {
  const values: EnvConfig["values"] = {};
  const sources: Record<string, string> = {};
  const setNetwork = (network: string, option: FacilitatorPluginOption, text: string, name: string) => {
    values.networks ??= {};
    values.networks[network] ??= {};
    values.networks[network][option.name] = convert(option.type, text);
    sources[`networks.${network}.${option.name}`] = name;
  };
  const setSigner = (family: string, option: FacilitatorPluginOption, text: string, name: string) => {
    values.signers ??= {};
    values.signers[family] ??= {};
    values.signers[family][option.name] = convert(option.type, text);
    sources[`signers.${family}.${option.name}`] = name;
  };

  for (const { field, env: name } of SERVICE_OPTIONS) {
    const text = env[name]?.trim();
    if (!text) continue;
    values[field] = convertService(field, text);
    sources[field] = name;
  }
  for (const [name, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    const text = raw?.trim();
    if (!text) continue;
    if (name.startsWith(NETWORK_ENV_PREFIX)) {
      const rest = name.slice(NETWORK_ENV_PREFIX.length);
      const family = rest.split("_", 1)[0]!.toLowerCase();
      const plugin = plugins.get(family);
      if (!plugin) throw configError(name, `no facilitator plugin serves the family "${family}"`);
      const tail = rest.slice(family.length + 1);
      const option = [...plugin.networkOptions]
        .sort((a, b) => toEnvCase(b.name).length - toEnvCase(a.name).length)
        .find((o) => tail.endsWith(`_${toEnvCase(o.name)}`) && tail.length > toEnvCase(o.name).length + 1);
      if (!option)
        throw configError(
          name,
          `expected ${NETWORK_ENV_PREFIX}${family.toUpperCase()}_<reference>_<option>, option one of: ${plugin.networkOptions.map((o) => toEnvCase(o.name)).join(", ")}`,
        );
      const reference = tail.slice(0, tail.length - toEnvCase(option.name).length - 1);
      const spelled = `${family}:${reference}`;
      // Variables are often upper-cased: reuse the file's spelling of a case-sensitive reference.
      const network = knownNetworks.find((n) => n.toLowerCase() === spelled.toLowerCase()) ?? spelled;
      setNetwork(network, option, text, name);
    } else if (name.startsWith(SIGNER_ENV_PREFIX)) {
      const rest = name.slice(SIGNER_ENV_PREFIX.length);
      const family = rest.split("_", 1)[0]!.toLowerCase();
      const plugin = plugins.get(family);
      if (!plugin) throw configError(name, `no facilitator plugin serves the family "${family}"`);
      const option = plugin.signerOptions.find((o) => rest.slice(family.length + 1) === toEnvCase(o.name));
      if (!option)
        throw configError(
          name,
          `unknown signer option (expected one of: ${plugin.signerOptions.map((o) => signerVar(family, o.name)).join(", ")})`,
        );
      setSigner(family, option, text, name);
    } else if (name.startsWith(LEGACY_RPC_URL_ENV_PREFIX)) {
      const chainId = name.slice(LEGACY_RPC_URL_ENV_PREFIX.length);
      if (!/^[1-9]\d{0,15}$/.test(chainId))
        throw configError(
          name,
          `the suffix must be a decimal chain id, e.g. ${LEGACY_RPC_URL_ENV_PREFIX}8453`,
        );
      values.networks ??= {};
      values.networks[`eip155:${chainId}`] = { ...values.networks[`eip155:${chainId}`], rpcUrl: text };
      sources[`networks.eip155:${chainId}.rpcUrl`] ??= name;
    } else if (name === LEGACY_PRIVATE_KEY_ENV && !env[signerVar("eip155", "privateKeys")]?.trim()) {
      values.signers ??= {};
      values.signers.eip155 = { ...values.signers.eip155, privateKeys: [text] };
      sources["signers.eip155.privateKeys"] = name;
    }
  }
  return { values, sources };
}

function signerVar(family: string, option: string): string {
  return `${SIGNER_ENV_PREFIX}${family.toUpperCase()}_${toEnvCase(option)}`;
}

function convert(type: FacilitatorPluginOption["type"], text: string): unknown {
  if (type === "integer") return /^\d+$/.test(text) ? Number(text) : text;
  if (type === "boolean")
    return /^(true|1|yes)$/i.test(text) ? true : /^(false|0|no)$/i.test(text) ? false : text;
  if (type === "string[]" || type === "secret[]") return text.split(",").map((part) => part.trim());
  return text;
}

function convertService(field: string, text: string): unknown {
  if (field === "port" || field === "maxBodyBytes") return /^\d+$/.test(text) ? Number(text) : text;
  if (field === "apiKey") {
    // Comma-separated keys allow rotation: serve old and new until every client moved.
    const keys = text.split(",").map((key) => key.trim());
    return keys.length > 1 ? keys : text;
  }
  return text;
}
