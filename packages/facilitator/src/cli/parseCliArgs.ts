import { parseArgs } from "node:util";
import { configError } from "../config/configError.js";

/** Parsed command line of `x402kit-facilitator`. */
export interface CliArgs {
  help: boolean;
  config?: string;
  port?: number;
  host?: string;
  store?: string;
  /** Modules to load facilitator plugins from. */
  plugins: string[];
}

/**
 * Parse the command line (without `node` and the script path).
 *
 * @throws {X402Error} `invalid_facilitator_config` for unknown options or a bad port.
 * @example
 * ```ts
 * parseCliArgs(["--config", "facilitator.json", "--port", "8080", "--store", "sqlite:./x402.db"]);
 * // { help: false, config: "facilitator.json", port: 8080, store: "sqlite:./x402.db", plugins: [] }
 * ```
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let values: {
    config?: string;
    port?: string;
    host?: string;
    store?: string;
    plugin?: string[];
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: "string", short: "c" },
        port: { type: "string", short: "p" },
        host: { type: "string" },
        store: { type: "string", short: "s" },
        plugin: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw configError("command line", (error as Error).message);
  }
  const args: CliArgs = { help: values.help ?? false, plugins: values.plugin ?? [] };
  if (values.config !== undefined) args.config = values.config;
  if (values.host !== undefined) args.host = values.host;
  if (values.store !== undefined) args.store = values.store;
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535)
      throw configError("--port", "must be an integer between 0 and 65535");
    args.port = port;
  }
  return args;
}
