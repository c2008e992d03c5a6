import { readFile } from "node:fs/promises";
import type { FacilitatorPlugin } from "@x402kit/core/facilitator";
import { resolvePlugins } from "../plugins/resolvePlugins.js";
import { configError } from "./configError.js";
import type { FacilitatorConfig } from "./facilitatorConfig.js";
import { envFamilies, readEnvConfig } from "./readEnvConfig.js";
import { configFamilies, validateFacilitatorConfig } from "./validateFacilitatorConfig.js";

/** Options of {@link loadFacilitatorConfig}. */
export interface LoadFacilitatorConfigOptions {
  /** Path of a JSON config file. */
  file?: string;
  /** Environment variables. Default `process.env`; pass `{}` to ignore the environment. */
  env?: Record<string, string | undefined>;
  /** Plugins to use before the known ones (e.g. a chain package not known to the service). */
  plugins?: readonly FacilitatorPlugin[];
  /** Modules to load plugins from (any export shaped like a plugin). */
  pluginModules?: readonly string[];
}

/**
 * Build the service configuration from a JSON file and/or environment variables, then
 * validate it. Environment variables win over the file, one option at a time, so a deployment
 * can keep the file in the image and inject secrets at run time.
 *
 * | variable | field |
 * | --- | --- |
 * | `X402_FACILITATOR_PORT` / `_HOST` / `_API_KEY` / `_MAX_BODY_BYTES` / `_STORE` | `port` / `host` / `apiKey` / `maxBodyBytes` / `store` |
 * | `X402_NETWORKS_<NAMESPACE>_<REFERENCE>_<OPTION>` | `networks["<namespace>:<reference>"].<option>` (e.g. `X402_NETWORKS_EIP155_8453_RPC_URL`) |
 * | `X402_SIGNERS_<NAMESPACE>_<OPTION>` | `signers.<namespace>.<option>` (e.g. `X402_SIGNERS_EIP155_PRIVATE_KEYS`, comma-separated) |
 * | `X402_RPC_URL_<chainId>`, `X402_FACILITATOR_PRIVATE_KEY` | older EVM names, still read |
 *
 * @throws {X402Error} `invalid_facilitator_config`, naming the file, field or variable at fault.
 * @example
 * ```ts
 * const config = await loadFacilitatorConfig({ file: "facilitator.json" });
 * const facilitator = await createFacilitatorFromConfig(config);
 * ```
 */
export async function loadFacilitatorConfig(
  options: LoadFacilitatorConfigOptions = {},
): Promise<FacilitatorConfig> {
  const env = options.env ?? process.env;
  const fromFile = options.file === undefined ? {} : await readConfigFile(options.file);
  const plugins = await resolvePlugins(
    new Set([...configFamilies(fromFile), ...envFamilies(env)]),
    options.plugins,
    options.pluginModules,
  );
  const fileNetworks = isObject(fromFile.networks) ? fromFile.networks : {};
  const fromEnv = readEnvConfig(env, plugins, Object.keys(fileNetworks));
  const { networks: envNetworks, signers: envSigners, ...envService } = fromEnv.values;
  const merged: Record<string, unknown> = { ...fromFile, ...envService };
  if (envNetworks) merged.networks = mergeEntries(fileNetworks, envNetworks);
  if (envSigners)
    merged.signers = mergeEntries(isObject(fromFile.signers) ? fromFile.signers : {}, envSigners);
  const label = (field: string) =>
    fromEnv.sources[field] ??
    fromEnv.sources[field.replace(/\[\d+\]$/, "")] ??
    (options.file === undefined ? field : `${field} (in ${options.file})`);
  return validateFacilitatorConfig(merged, { plugins, label });
}

function mergeEntries(
  base: Record<string, unknown>,
  overrides: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, values] of Object.entries(overrides)) {
    const current = result[key];
    result[key] = isObject(current) ? { ...current, ...values } : values;
  }
  return result;
}

async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw configError(file, `cannot read the config file (${code ?? "unknown error"})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8 quotes a snippet of the input in its message, which could be a private key.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const where = position === undefined ? "" : ` at ${lineAndColumn(text, Number(position))}`;
    throw configError(file, `the config file is not valid JSON${where}`);
  }
  if (!isObject(value)) throw configError(file, "the config file must contain a JSON object");
  return value;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split("\n");
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
