import { readFile } from "node:fs/promises";
import { configError } from "./configError.js";
import type { FacilitatorConfig } from "./facilitatorConfig.js";
import { readEnvConfig } from "./readEnvConfig.js";
import { validateFacilitatorConfig } from "./validateFacilitatorConfig.js";

/** Options of {@link loadFacilitatorConfig}. */
export interface LoadFacilitatorConfigOptions {
  /** Path of a JSON config file. */
  file?: string;
  /** Environment variables. Default `process.env`; pass `{}` to ignore the environment. */
  env?: Record<string, string | undefined>;
}

/**
 * Build the service configuration from a JSON file and/or environment variables, then
 * validate it. Environment variables win over the file (one network's `rpcUrl` at a time),
 * so a deployment can keep the file in the image and inject secrets at run time.
 *
 * | variable | field |
 * | --- | --- |
 * | `X402_FACILITATOR_PRIVATE_KEY` | `signerKey` |
 * | `X402_FACILITATOR_PORT` / `X402_FACILITATOR_HOST` | `port` / `host` |
 * | `X402_FACILITATOR_API_KEY` (comma-separated for several) | `apiKey` |
 * | `X402_FACILITATOR_MAX_BODY_BYTES` | `maxBodyBytes` |
 * | `X402_RPC_URL_<chainId>` | `networks["eip155:<chainId>"].rpcUrl` |
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
  const fromFile = options.file === undefined ? {} : await readConfigFile(options.file);
  const fromEnv = readEnvConfig(options.env ?? process.env);
  const merged: Record<string, unknown> = { ...fromFile, ...fromEnv.values };
  if (fromEnv.values.networks) {
    const fileNetworks = isObject(fromFile.networks) ? fromFile.networks : {};
    const networks: Record<string, unknown> = { ...fileNetworks };
    for (const [network, { rpcUrl }] of Object.entries(fromEnv.values.networks)) {
      const base = networks[network];
      networks[network] = isObject(base) ? { ...base, rpcUrl } : { rpcUrl };
    }
    merged.networks = networks;
  }
  const label = (field: string) =>
    fromEnv.sources[field] ?? (options.file === undefined ? field : `${field} (in ${options.file})`);
  return validateFacilitatorConfig(merged, label);
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
    // V8 quotes a snippet of the input in its message, which could be the signer key.
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
