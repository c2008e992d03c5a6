import type { FacilitatorPlugin, FacilitatorPluginOption } from "@x402kit/core/facilitator";
import { CONFIG_ENV, networkEnvName, signerEnvName } from "../config/envNames.js";
import { SERVICE_OPTIONS } from "../config/facilitatorConfig.js";

/** Environment variable listing plugin modules to load, comma-separated. */
export const PLUGINS_ENV = "X402_FACILITATOR_PLUGINS";

/**
 * The `--help` text: the command line, the service's settings and every option of every
 * plugin found (per network and per signer), each with its config field and environment
 * variable.
 *
 * @example
 * ```ts
 * console.log(cliUsage([exactEvmFacilitatorPlugin]));
 * ```
 */
export function cliUsage(plugins: readonly FacilitatorPlugin[]): string {
  const lines = [
    "Usage: x402kit-facilitator [--config file] [--port n] [--host h] [--store spec] [--plugin module]…",
    "",
    "Serves POST /verify, POST /settle, GET /supported, GET /health and the routes of registered extensions.",
    "Settings come from a JSON file, then the environment (which wins), then the command line.",
    "",
    "Command line:",
    `  -c, --config <file>    JSON config file (default: $${CONFIG_ENV})`,
    "  -p, --port <n>         port to listen on (overrides config and environment)",
    "      --host <h>         interface to bind",
    "  -s, --store <spec>     memory | sqlite:<path> | redis://… | postgres://…",
    `      --plugin <module>  load facilitator plugins from a module (repeatable; also $${PLUGINS_ENV}, comma-separated)`,
    "  -h, --help             show this help",
    "",
    "Service settings (config field, environment variable):",
    ...SERVICE_OPTIONS.map((o) => row(o.field, o.env, o.description)),
  ];
  for (const plugin of plugins) {
    const example = plugin.family === "eip155" ? "eip155:8453" : `${plugin.family}:<reference>`;
    lines.push(
      "",
      `Networks of family ${plugin.family} (config networks["${example}"].<option>, environment ${networkEnvName(example, "<option>")}):`,
      ...plugin.networkOptions.map((o) => row(o.name, networkEnvName(example, o.name), describe(o))),
      "",
      `Signer of family ${plugin.family} (config signers.${plugin.family}.<option>):`,
      ...plugin.signerOptions.map((o) => row(o.name, signerEnvName(plugin.family, o.name), describe(o))),
    );
  }
  lines.push(
    "",
    "Older names still read: X402_RPC_URL_<chainId> (= X402_NETWORKS_EIP155_<chainId>_RPC_URL),",
    "X402_FACILITATOR_PRIVATE_KEY (= X402_SIGNERS_EIP155_PRIVATE_KEYS), config field signerKey.",
    "Exit codes: 0 stopped, 1 failed, 2 bad configuration.",
  );
  return lines.join("\n");
}

function row(field: string, env: string, description: string): string {
  return `  ${field.padEnd(18)} ${env.padEnd(44)} ${description}`;
}

function describe(option: FacilitatorPluginOption): string {
  const notes = [
    option.required ? "required" : undefined,
    option.default === undefined ? undefined : `default ${String(option.default)}`,
    option.type.startsWith("secret") ? "secret" : undefined,
  ].filter(Boolean);
  return `${option.description}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
}
