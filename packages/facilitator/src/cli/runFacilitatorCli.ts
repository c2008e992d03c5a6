import { loadFacilitatorConfig } from "../config/loadFacilitatorConfig.js";
import { redactUrl } from "../config/redactUrl.js";
import { createFacilitatorFromConfig } from "../evm/createFacilitatorFromConfig.js";
import { consoleLogger, type FacilitatorLogger } from "../server/logger.js";
import { type RunningFacilitatorServer, startFacilitatorServer } from "../server/startFacilitatorServer.js";
import { CLI_USAGE, parseCliArgs } from "./parseCliArgs.js";

/** What the CLI talks to; injectable so tests can run it in-process. */
export interface FacilitatorCliIo {
  env: Record<string, string | undefined>;
  /** One line of start-up output. */
  print(line: string): void;
  /** Per-request log. Default: the console. */
  logger?: FacilitatorLogger;
}

/**
 * The `x402kit-facilitator` command without the process wiring: parse arguments, load the
 * config (file from `--config` or `$X402_FACILITATOR_CONFIG`, then the environment, then
 * `--port` / `--host`), build the engine, start the service and print its URL, kinds and
 * signers. Resolves `undefined` after `--help`.
 *
 * @throws {X402Error} `invalid_facilitator_config` for any bad argument, config or RPC.
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
  if (args.help) {
    io.print(CLI_USAGE);
    return undefined;
  }
  const file = args.config ?? (io.env.X402_FACILITATOR_CONFIG || undefined);
  const config = await loadFacilitatorConfig({ ...(file === undefined ? {} : { file }), env: io.env });
  if (args.port !== undefined) config.port = args.port;
  if (args.host !== undefined) config.host = args.host;

  const facilitator = await createFacilitatorFromConfig(config);
  const service = await startFacilitatorServer(facilitator, {
    port: config.port,
    host: config.host,
    ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
    ...(config.maxBodyBytes === undefined ? {} : { maxBodyBytes: config.maxBodyBytes }),
    logger: io.logger ?? consoleLogger,
  });

  const supported = facilitator.getSupported();
  io.print(`x402kit-facilitator listening on ${service.url}`);
  for (const kind of supported.kinds) {
    const rpc = config.networks[kind.network]?.rpcUrl;
    io.print(
      `  kind    ${kind.scheme} on ${kind.network} (x402 v${kind.x402Version})${rpc ? ` via ${redactUrl(rpc)}` : ""}`,
    );
  }
  for (const [family, addresses] of Object.entries(supported.signers))
    io.print(`  signer  ${family} ${addresses.join(", ")}`);
  io.print(
    `  auth    ${config.apiKey === undefined ? "none (open to anyone who can reach it)" : "bearer token required"}`,
  );
  return service;
}
