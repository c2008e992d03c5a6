import type { FacilitatorPlugin } from "@x402kit/core/facilitator";
import { redactUrl } from "@x402kit/core/utils";
import { CONFIG_ENV } from "../config/envNames.js";
import { loadFacilitatorConfig } from "../config/loadFacilitatorConfig.js";
import { buildFacilitatorFromConfig } from "../plugins/createFacilitatorFromConfig.js";
import { KNOWN_PLUGINS, resolvePlugins } from "../plugins/resolvePlugins.js";
import { consoleLogger, type FacilitatorLogger } from "../server/logger.js";
import { type RunningFacilitatorServer, startFacilitatorServer } from "../server/startFacilitatorServer.js";
import { checkStoreSpec } from "../store/createStore.js";
import { cliUsage, PLUGINS_ENV } from "./cliUsage.js";
import { parseCliArgs } from "./parseCliArgs.js";

/** What the CLI talks to; injectable so tests can run it in-process. */
export interface FacilitatorCliIo {
  env: Record<string, string | undefined>;
  /** One line of start-up output. */
  print(line: string): void;
  /** Per-request log. Default: the console. */
  logger?: FacilitatorLogger;
  /** Plugins to use before the known ones. */
  plugins?: readonly FacilitatorPlugin[];
}

/**
 * The `x402kit-facilitator` command without the process wiring: parse arguments, load the
 * config (file from `--config` or `$X402_FACILITATOR_CONFIG`, then the environment, then the
 * command line), open the store, build the engine from the plugins, start the service and
 * print its URL, kinds, signers and store. Resolves `undefined` after `--help`. Closing the
 * returned service also closes the store.
 *
 * @throws {X402Error} `invalid_facilitator_config` for any bad argument, config, store or RPC.
 * @example
 * ```ts
 * const service = await runFacilitatorCli(["--port", "0"], { env: process.env, print: console.log });
 * await service?.close();
 * ```
 */
export async function runFacilitatorCli(
  argv: readonly string[],
  io: FacilitatorCliIo,
): Promise<RunningFacilitatorServer | undefined> {
  const args = parseCliArgs(argv);
  const pluginModules = [
    ...args.plugins,
    ...(io.env[PLUGINS_ENV] ?? "")
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean),
  ];
  if (args.help) {
    // Every plugin that can be found, so --help lists all their options.
    const known = Object.keys(KNOWN_PLUGINS);
    const plugins = await resolvePlugins(known, io.plugins, pluginModules).catch(() =>
      resolvePlugins([], io.plugins, pluginModules).catch(() => new Map()),
    );
    io.print(cliUsage([...plugins.values()]));
    return undefined;
  }
  const file = args.config ?? (io.env[CONFIG_ENV] || undefined);
  const config = await loadFacilitatorConfig({
    ...(file === undefined ? {} : { file }),
    env: io.env,
    pluginModules,
    ...(io.plugins ? { plugins: io.plugins } : {}),
  });
  if (args.port !== undefined) config.port = args.port;
  if (args.host !== undefined) config.host = args.host;
  if (args.store !== undefined) config.store = checkStoreSpec(args.store, "--store");

  const built = await buildFacilitatorFromConfig(config, {
    pluginModules,
    logger: io.logger ?? consoleLogger,
    ...(io.plugins ? { plugins: io.plugins } : {}),
  });
  const { facilitator, routes } = built;
  let service: RunningFacilitatorServer;
  try {
    service = await startFacilitatorServer(facilitator, {
      port: config.port,
      host: config.host,
      ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
      ...(config.maxBodyBytes === undefined ? {} : { maxBodyBytes: config.maxBodyBytes }),
      logger: io.logger ?? consoleLogger,
    });
  } catch (error) {
    await built.close();
    throw error;
  }

  const supported = facilitator.getSupported();
  io.print(`x402kit-facilitator listening on ${service.url}`);
  for (const kind of supported.kinds)
    io.print(
      `  kind    ${kind.scheme} on ${kind.network} (x402 v${kind.x402Version})${routes[kind.network] ?? ""}`,
    );
  for (const [family, addresses] of Object.entries(supported.signers))
    io.print(`  signer  ${family} ${addresses.join(", ")}`);
  io.print(`  store   ${describeStore(config.store)}`);
  io.print(
    `  auth    ${config.apiKey === undefined ? "none (open to anyone who can reach it)" : "bearer token required"}`,
  );
  return {
    ...service,
    close: async () => {
      await service.close();
      await built.close();
    },
  };
}

/** A store spec safe to print: URLs lose their credentials and path. */
function describeStore(spec: string): string {
  if (spec === "memory") return "memory (this process only; lost on restart)";
  if (spec.startsWith("sqlite:")) return spec;
  return redactUrl(spec);
}
