import type { FacilitatorPluginOption } from "@x402kit/core/facilitator";
import type { PluginTable } from "../plugins/resolvePlugins.js";
import { checkStoreSpec } from "../store/createStore.js";
import { configError } from "./configError.js";
import { CONFIG_FIELDS, type FacilitatorConfig } from "./facilitatorConfig.js";

/** Names a field in error messages, e.g. `port` → `X402_FACILITATOR_PORT` when env set it. */
export type FieldLabel = (field: string) => string;

/** Options of {@link validateFacilitatorConfig}. */
export interface ValidateFacilitatorConfigOptions {
  /** The plugin of every family the config uses (see `resolvePlugins`). */
  plugins: PluginTable;
  label?: FieldLabel;
}

const CAIP2 = /^([-a-z0-9]{3,8}):[-_a-zA-Z0-9+/=]{1,64}$/;

/**
 * Check a configuration object and fill in defaults (port 4020, host `127.0.0.1`, store
 * `memory`): the service's own fields here, each network's and signer's options against the
 * types its family's plugin declares, then the plugin's own checks. The legacy field
 * `signerKey` becomes `signers.eip155.privateKeys`.
 *
 * @throws {X402Error} `invalid_facilitator_config` naming the bad field (never a secret's value).
 * @example
 * ```ts
 * const config = validateFacilitatorConfig(
 *   { networks: { "eip155:8453": { rpcUrl: "https://mainnet.base.org" } }, signers: { eip155: { privateKeys: [key] } } },
 *   { plugins: new Map([["eip155", exactEvmFacilitatorPlugin]]) },
 * );
 * ```
 */
export function validateFacilitatorConfig(
  input: unknown,
  { plugins, label = (field) => field }: ValidateFacilitatorConfigOptions,
): FacilitatorConfig {
  const raw = expectObject(input, "(config)", label);
  rejectUnknown(raw, CONFIG_FIELDS, "", label);
  const signers = validateSigners(raw, label);
  const networks = validateNetworks(raw.networks, label);
  const families = new Set(Object.keys(networks).map((n) => n.slice(0, n.indexOf(":"))));
  for (const family of Object.keys(signers))
    if (!families.has(family))
      throw configError(label(`signers.${family}`), `no network of family "${family}" is configured`);

  for (const family of families) {
    const plugin = plugins.get(family);
    if (!plugin)
      throw configError(label(`networks.${family}:*`), `no facilitator plugin serves the family "${family}"`);
    signers[family] ??= {};
    const signer = signers[family];
    checkOptions(signer, plugin.signerOptions, `signers.${family}`, label);
    const ofFamily: Record<string, Record<string, unknown>> = {};
    for (const [network, options] of Object.entries(networks))
      if (network.startsWith(`${family}:`)) {
        checkOptions(options, plugin.networkOptions, `networks.${network}`, label);
        ofFamily[network] = options;
      }
    const parsed = plugin.parse({ networks: ofFamily, signer });
    if (!parsed.ok) {
      const [first] = parsed.errors;
      throw configError(
        label(first?.field ?? `networks.${family}:*`),
        parsed.errors.map((e, i) => (i === 0 ? e.message : `${label(e.field)}: ${e.message}`)).join("; "),
      );
    }
  }

  const config: FacilitatorConfig = {
    networks,
    signers,
    port: raw.port === undefined ? 4020 : validatePort(raw.port, label("port")),
    host: raw.host === undefined ? "127.0.0.1" : validateHost(raw.host, label("host")),
    store: raw.store === undefined ? "memory" : checkStoreSpec(raw.store, label("store")),
  };
  if (raw.apiKey !== undefined) config.apiKey = validateApiKey(raw.apiKey, label("apiKey"));
  if (raw.maxBodyBytes !== undefined)
    config.maxBodyBytes = positiveInteger(raw.maxBodyBytes, label("maxBodyBytes"));
  return config;
}

/**
 * The CAIP-2 namespaces a raw config uses (to know which plugins to load).
 *
 * @example
 * ```ts
 * configFamilies({ networks: { "eip155:1": {} } }); // ["eip155"]
 * ```
 */
export function configFamilies(raw: Record<string, unknown>): string[] {
  const families = new Set<string>();
  if (isObject(raw.networks))
    for (const network of Object.keys(raw.networks)) {
      const match = CAIP2.exec(network);
      if (match) families.add(match[1]!);
    }
  if (raw.signerKey !== undefined) families.add("eip155");
  return [...families];
}

function validateSigners(
  raw: Record<string, unknown>,
  label: FieldLabel,
): Record<string, Record<string, unknown>> {
  const signers: Record<string, Record<string, unknown>> = {};
  if (raw.signers !== undefined)
    for (const [family, options] of Object.entries(expectObject(raw.signers, "signers", label)))
      signers[family] = { ...expectObject(options, `signers.${family}`, label) };
  if (raw.signerKey !== undefined && signers.eip155?.privateKeys === undefined)
    signers.eip155 = { ...signers.eip155, privateKeys: [raw.signerKey] };
  return signers;
}

function validateNetworks(value: unknown, label: FieldLabel): Record<string, Record<string, unknown>> {
  const hint =
    'at least one network is required (config "networks" or X402_NETWORKS_<NAMESPACE>_<REFERENCE>_RPC_URL)';
  if (value === undefined) throw configError(label("networks"), hint);
  const entries = Object.entries(expectObject(value, "networks", label));
  if (entries.length === 0) throw configError(label("networks"), hint);
  const result: Record<string, Record<string, unknown>> = {};
  for (const [network, entry] of entries) {
    if (!CAIP2.test(network))
      throw configError(
        label(`networks.${network}`),
        "the key must be a CAIP-2 network id such as eip155:8453",
      );
    result[network] = { ...expectObject(entry, `networks.${network}`, label) };
  }
  return result;
}

/** Type-check the options a plugin declares; unknown ones are reported as typos. */
function checkOptions(
  values: Record<string, unknown>,
  declared: readonly FacilitatorPluginOption[],
  prefix: string,
  label: FieldLabel,
): void {
  rejectUnknown(
    values,
    declared.map((o) => o.name),
    `${prefix}.`,
    label,
  );
  for (const option of declared) {
    const field = label(`${prefix}.${option.name}`);
    const value = values[option.name];
    if (value === undefined) {
      if (option.required) throw configError(field, "is required");
      continue;
    }
    values[option.name] = checkType(option, value, field);
  }
}

function checkType(option: FacilitatorPluginOption, value: unknown, field: string): unknown {
  switch (option.type) {
    case "url":
      return validateUrl(value, field);
    case "integer":
      return positiveInteger(value, field);
    case "boolean":
      if (typeof value !== "boolean") throw configError(field, "must be true or false");
      return value;
    case "string":
    case "secret":
      if (typeof value !== "string" || value.trim() === "")
        throw configError(field, "must be a non-empty string");
      return value;
    case "string[]":
    case "secret[]": {
      const list = typeof value === "string" ? [value] : value;
      if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === "string" && v !== ""))
        throw configError(field, "must be a non-empty list of strings");
      return list;
    }
  }
}

function validateUrl(value: unknown, field: string): string {
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function expectObject(value: unknown, field: string, label: FieldLabel): Record<string, unknown> {
  if (!isObject(value)) throw configError(label(field), "must be a JSON object");
  return value;
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
