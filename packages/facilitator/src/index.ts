/**
 * `@x402kit/facilitator` — a deployable, multi-chain x402 facilitator service: `POST /verify`,
 * `POST /settle`, `GET /supported`, `GET /health` and extension routes over `node:http`,
 * configured from a JSON file and environment variables (networks keyed by CAIP-2 id, one
 * signer per chain family, each family served by its chain package's plugin), with durable
 * idempotency state in a pluggable store and the `x402kit-facilitator` CLI.
 *
 * @packageDocumentation
 */

export { redactUrl } from "@x402kit/core/utils";
export { cliUsage, PLUGINS_ENV } from "./cli/cliUsage.js";
export { type CliArgs, parseCliArgs } from "./cli/parseCliArgs.js";
export { type FacilitatorCliIo, runFacilitatorCli } from "./cli/runFacilitatorCli.js";
export {
  CONFIG_ENV,
  LEGACY_PRIVATE_KEY_ENV,
  LEGACY_RPC_URL_ENV_PREFIX,
  NETWORK_ENV_PREFIX,
  networkEnvName,
  SIGNER_ENV_PREFIX,
  signerEnvName,
} from "./config/envNames.js";
export {
  type FacilitatorConfig,
  type FacilitatorNetworkConfig,
  SERVICE_OPTIONS,
  type ServiceOption,
} from "./config/facilitatorConfig.js";
export { type LoadFacilitatorConfigOptions, loadFacilitatorConfig } from "./config/loadFacilitatorConfig.js";
export { type EnvConfig, readEnvConfig } from "./config/readEnvConfig.js";
export {
  type FieldLabel,
  type ValidateFacilitatorConfigOptions,
  validateFacilitatorConfig,
} from "./config/validateFacilitatorConfig.js";
export {
  type BuiltFacilitator,
  buildFacilitatorFromConfig,
  type CreateFacilitatorFromConfigOptions,
  createFacilitatorFromConfig,
} from "./plugins/createFacilitatorFromConfig.js";
export { redactSchemeMessages } from "./plugins/redactSchemeMessages.js";
export { KNOWN_PLUGINS, type PluginTable, resolvePlugins } from "./plugins/resolvePlugins.js";
export {
  createFacilitatorServer,
  createRequestHandler,
  DEFAULT_MAX_BODY_BYTES,
  type FacilitatorServerOptions,
} from "./server/createFacilitatorServer.js";
export { consoleLogger, defaultLogger, type FacilitatorLogger } from "./server/logger.js";
export { DEFAULT_DISCARD_LIMIT } from "./server/readJsonBody.js";
export {
  DEFAULT_FACILITATOR_HOST,
  DEFAULT_FACILITATOR_PORT,
  type RunningFacilitatorServer,
  type StartFacilitatorServerOptions,
  startFacilitatorServer,
} from "./server/startFacilitatorServer.js";
export { checkStoreSpec, createStore } from "./store/createStore.js";
