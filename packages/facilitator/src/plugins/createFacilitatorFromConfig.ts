import type { FacilitatorPlugin } from "@x402kit/core/facilitator";
import { x402Facilitator } from "@x402kit/core/facilitator";
import type { KeyValueStore } from "@x402kit/core/storage";
import { redactUrl } from "@x402kit/core/utils";
import { configError } from "../config/configError.js";
import type { FacilitatorConfig } from "../config/facilitatorConfig.js";
import { configFamilies, validateFacilitatorConfig } from "../config/validateFacilitatorConfig.js";
import { defaultLogger, type FacilitatorLogger } from "../server/logger.js";
import { createStore } from "../store/createStore.js";
import { redactSchemeMessages } from "./redactSchemeMessages.js";
import { resolvePlugins } from "./resolvePlugins.js";

/** Options of {@link createFacilitatorFromConfig}. */
export interface CreateFacilitatorFromConfigOptions {
  /** Register into this engine (e.g. one with hooks or extensions already attached). Default: a new one. */
  facilitator?: x402Facilitator;
  /** Plugins to use before the known ones. */
  plugins?: readonly FacilitatorPlugin[];
  /** Modules to load plugins from. */
  pluginModules?: readonly string[];
  /** Use this store instead of opening `config.store`. */
  store?: KeyValueStore;
  /** Where plugins report background work (reconcilers' failures and findings). Default: {@link defaultLogger}. */
  logger?: FacilitatorLogger;
}

/** A facilitator built from a config, with what the service must release on shutdown. */
export interface BuiltFacilitator {
  facilitator: x402Facilitator;
  store: KeyValueStore;
  /** `network → how it is reached` (redacted), for the start-up banner. */
  routes: Record<string, string>;
  /**
   * Run every plugin's reconciler of pending settlements once (those started on an interval
   * keep running); resolves each one's report.
   */
  reconcile(): Promise<unknown[]>;
  /** Stop plugins' background work (reconcilers), then close the store if this call opened it. */
  close(): Promise<void>;
}

/** Optional members a plugin's registration may carry for background work. */
interface BackgroundWork {
  reconcile?: () => Promise<unknown>;
  close?: () => Promise<void>;
}

/**
 * Build a facilitator engine from a configuration: open the store, let each family's plugin
 * create its schemes (the EVM plugin checks every RPC's chain id first, so a mismatch or an
 * unreachable RPC fails here, at start-up, not on the first payment), and register them with
 * their RPC URLs removed from every message they return.
 *
 * @throws {X402Error} `invalid_facilitator_config` naming the network or option at fault.
 * @example
 * ```ts
 * const { facilitator, store } = await buildFacilitatorFromConfig(await loadFacilitatorConfig({ file: "facilitator.json" }));
 * ```
 */
export async function buildFacilitatorFromConfig(
  input: FacilitatorConfig,
  options: CreateFacilitatorFromConfigOptions = {},
): Promise<BuiltFacilitator> {
  const plugins = await resolvePlugins(
    configFamilies(input as unknown as Record<string, unknown>),
    options.plugins,
    options.pluginModules,
  );
  // A hand-built config gets the same checks as a loaded one.
  const config = validateFacilitatorConfig(input, { plugins });
  const store = options.store ?? (await createStore(config.store));
  const facilitator = options.facilitator ?? new x402Facilitator();
  const routes: Record<string, string> = {};
  const background: BackgroundWork[] = [];
  const stopBackground = () => Promise.all(background.map((work) => work.close?.().catch(() => undefined)));
  try {
    for (const [family, plugin] of plugins) {
      const networks = Object.fromEntries(
        Object.entries(config.networks).filter(([network]) => network.startsWith(`${family}:`)),
      );
      if (Object.keys(networks).length === 0) continue;
      const parsed = plugin.parse({ networks, signer: config.signers[family] ?? {} });
      if (!parsed.ok)
        throw configError(parsed.errors[0]?.field ?? family, parsed.errors[0]?.message ?? "invalid");
      const logger = options.logger ?? defaultLogger;
      for (const registration of await plugin.create(parsed.config, { store, logger })) {
        background.push(registration as BackgroundWork);
        const redact = registration.redact ?? [];
        const scheme =
          redact.length > 0 ? redactSchemeMessages(registration.scheme, redact) : registration.scheme;
        if (registration.x402Version === 1) facilitator.registerV1(registration.networks, scheme);
        else facilitator.register(registration.networks, scheme);
        for (const extension of registration.extensions ?? []) facilitator.registerExtension(extension);
        for (const network of registration.networks)
          routes[network] = redact[0] === undefined ? "" : ` via ${redactUrl(redact[0])}`;
      }
    }
  } catch (error) {
    await stopBackground();
    if (!options.store) await store.close?.().catch(() => undefined);
    throw error;
  }
  return {
    facilitator,
    store,
    routes,
    reconcile: () => Promise.all(background.flatMap((work) => (work.reconcile ? [work.reconcile()] : []))),
    close: async () => {
      await stopBackground();
      if (!options.store) await store.close?.().catch(() => undefined);
    },
  };
}

/**
 * {@link buildFacilitatorFromConfig}, returning the engine only.
 *
 * @example
 * ```ts
 * const facilitator = await createFacilitatorFromConfig(await loadFacilitatorConfig({ file: "facilitator.json" }));
 * const service = await startFacilitatorServer(facilitator, { port: 4020 });
 * ```
 */
export async function createFacilitatorFromConfig(
  input:
    | FacilitatorConfig
    | (Omit<FacilitatorConfig, "signers" | "store"> & Partial<FacilitatorConfig> & { signerKey?: string }),
  options: CreateFacilitatorFromConfigOptions = {},
): Promise<x402Facilitator> {
  return (await buildFacilitatorFromConfig(input as FacilitatorConfig, options)).facilitator;
}
