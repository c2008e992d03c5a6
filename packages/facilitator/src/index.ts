/**
 * `@x402kit/facilitator` — a deployable x402 facilitator service: `POST /verify`,
 * `POST /settle`, `GET /supported` and `GET /health` over `node:http`, configured from a
 * JSON file and environment variables, with the `x402kit-facilitator` CLI.
 *
 * @packageDocumentation
 */
export { type FacilitatorCliIo, runFacilitatorCli } from "./cli/runFacilitatorCli.js";
export type { FacilitatorConfig, FacilitatorNetworkConfig } from "./config/facilitatorConfig.js";
export {
  type LoadFacilitatorConfigOptions,
  loadFacilitatorConfig,
} from "./config/loadFacilitatorConfig.js";
export { CONFIG_ENV, RPC_URL_ENV_PREFIX } from "./config/readEnvConfig.js";
export { redactUrl } from "./config/redactUrl.js";
export { validateFacilitatorConfig } from "./config/validateFacilitatorConfig.js";
export {
  type CreateFacilitatorFromConfigOptions,
  createFacilitatorFromConfig,
} from "./evm/createFacilitatorFromConfig.js";
export {
  createFacilitatorServer,
  createRequestHandler,
  DEFAULT_MAX_BODY_BYTES,
  type FacilitatorServerOptions,
} from "./server/createFacilitatorServer.js";
export { consoleLogger, defaultLogger, type FacilitatorLogger } from "./server/logger.js";
export {
  DEFAULT_FACILITATOR_HOST,
  DEFAULT_FACILITATOR_PORT,
  type RunningFacilitatorServer,
  type StartFacilitatorServerOptions,
  startFacilitatorServer,
} from "./server/startFacilitatorServer.js";
