import { parseArgs } from "node:util";
import { configError } from "../config/configError.js";

/** Usage text of `x402kit-facilitator`. */
export const CLI_USAGE = `Usage: x402kit-facilitator [--config file] [--port n] [--host h]

Serves POST /verify, POST /settle, GET /supported and GET /health.

Options:
  -c, --config <file>  JSON config file (default: $X402_FACILITATOR_CONFIG)
  -p, --port <n>       port to listen on (overrides config and $X402_FACILITATOR_PORT)
      --host <h>       interface to bind (overrides config and $X402_FACILITATOR_HOST)
  -h, --help           show this help

Environment: X402_FACILITATOR_PRIVATE_KEY, X402_RPC_URL_<chainId>, X402_FACILITATOR_PORT,
X402_FACILITATOR_HOST, X402_FACILITATOR_API_KEY, X402_FACILITATOR_MAX_BODY_BYTES.`;

/** Parsed command line of `x402kit-facilitator`. */
export interface CliArgs {
  help: boolean;
  config?: string;
  port?: number;
  host?: string;
}

/**
 * Parse the command line (without `node` and the script path).
 *
 * @throws {X402Error} `invalid_facilitator_config` for unknown options or a bad port.
 * @example
 * ```ts
 * parseCliArgs(["--config", "facilitator.json", "--port", "8080"]);
 * // { help: false, config: "facilitator.json", port: 8080 }
 * ```
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let values: { config?: string; port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: "string", short: "c" },
        port: { type: "string", short: "p" },
        host: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw configError("command line", (error as Error).message);
  }
  const args: CliArgs = { help: values.help ?? false };
  if (values.config !== undefined) args.config = values.config;
  if (values.host !== undefined) args.host = values.host;
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535)
      throw configError("--port", "must be an integer between 0 and 65535");
    args.port = port;
  }
  return args;
}
