import type { FacilitatorPlugin } from "@x402kit/core/facilitator";
import { configError } from "../config/configError.js";

/** Plugins the service finds by itself, by CAIP-2 namespace: the module and its export. */
export const KNOWN_PLUGINS: Readonly<Record<string, { module: string; exportName: string }>> = {
  eip155: { module: "@x402kit/evm/exact/facilitator", exportName: "exactEvmFacilitatorPlugin" },
  aptos: { module: "@x402kit/aptos/exact/facilitator", exportName: "exactAptosFacilitatorPlugin" },
  stellar: { module: "@x402kit/stellar/exact/facilitator", exportName: "exactStellarFacilitatorPlugin" },
  solana: { module: "@x402kit/svm/exact/facilitator", exportName: "exactSvmFacilitatorPlugin" },
};

/** Families → their plugin. */
export type PluginTable = ReadonlyMap<string, FacilitatorPlugin>;

/**
 * The plugin of every family the config uses: the ones given first, then those named by
 * `modules` (any export shaped like a plugin), then the known ones ({@link KNOWN_PLUGINS}),
 * imported on demand so an unused chain's package (and its SDK) need not be installed.
 *
 * @throws {X402Error} `invalid_facilitator_config` for a family no plugin serves or a module that cannot be loaded.
 * @example
 * ```ts
 * const plugins = await resolvePlugins(["eip155"]);
 * plugins.get("eip155")?.networkOptions;
 * ```
 */
export async function resolvePlugins(
  families: Iterable<string>,
  given: readonly FacilitatorPlugin[] = [],
  modules: readonly string[] = [],
): Promise<PluginTable> {
  const table = new Map<string, FacilitatorPlugin>();
  for (const plugin of given) if (!table.has(plugin.family)) table.set(plugin.family, plugin);
  for (const specifier of modules)
    for (const plugin of pluginsIn(await importModule(specifier, `plugin ${specifier}`)))
      if (!table.has(plugin.family)) table.set(plugin.family, plugin);
  for (const family of families) {
    if (table.has(family)) continue;
    const known = KNOWN_PLUGINS[family];
    if (!known)
      throw configError(`networks.${family}:*`, `no facilitator plugin serves the family "${family}"`);
    const exports = await importModule(known.module, `networks.${family}:*`);
    const plugin = exports[known.exportName];
    if (!isPlugin(plugin))
      throw configError(`networks.${family}:*`, `${known.module} has no ${known.exportName}`);
    table.set(family, plugin);
  }
  return table;
}

async function importModule(specifier: string, field: string): Promise<Record<string, unknown>> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw configError(field, `cannot load ${specifier} (is it installed?)`, error);
  }
}

function pluginsIn(exports: Record<string, unknown>): FacilitatorPlugin[] {
  return Object.values(exports).filter(isPlugin);
}

function isPlugin(value: unknown): value is FacilitatorPlugin {
  const v = value as Partial<FacilitatorPlugin> | undefined;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.family === "string" &&
    typeof v.parse === "function" &&
    typeof v.create === "function" &&
    Array.isArray(v.networkOptions) &&
    Array.isArray(v.signerOptions)
  );
}
