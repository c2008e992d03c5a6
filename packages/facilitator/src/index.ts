/**
 * `@x402kit/facilitator` — a deployable x402 facilitator service: `POST /verify`,
 * `POST /settle`, `GET /supported` and `GET /health` over `node:http`, configured from a
 * JSON file and environment variables, with the `x402kit-facilitator` CLI.
 *
 * @packageDocumentation
 */
export { type FacilitatorCliIo, runFacilitatorCli } from "./cli/run-facilitator-cli.js";
export type { FacilitatorConfig, FacilitatorNetworkConfig } from "./config/facilitator-config.js";
export {
  type LoadFacilitatorConfigOptions,
  loadFacilitatorConfig,
} from "./config/load-facilitator-config.js";
export { CONFIG_ENV, RPC_URL_ENV_PREFIX } from "./config/read-env-config.js";
export { redactUrl } from "./config/redact-url.js";
export { validateFacilitatorConfig } from "./config/validate-facilitator-config.js";
export {
  type CreateFacilitatorFromConfigOptions,
  createFacilitatorFromConfig,
} from "./evm/create-facilitator-from-config.js";
export {
  createFacilitatorServer,
  createRequestHandler,
  DEFAULT_MAX_BODY_BYTES,
  type FacilitatorServerOptions,
} from "./server/create-facilitator-server.js";
export { consoleLogger, defaultLogger, type FacilitatorLogger } from "./server/logger.js";
export {
  DEFAULT_FACILITATOR_HOST,
  DEFAULT_FACILITATOR_PORT,
  type RunningFacilitatorServer,
  type StartFacilitatorServerOptions,
  startFacilitatorServer,
} from "./server/start-facilitator-server.js";
