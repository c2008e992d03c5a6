export { ExactEvmClient } from "./exactEvmClient.js";
export {
  type RegisterExactEvmClientOptions,
  registerExactEvmClient,
  type SchemeClientRegistry,
} from "./register.js";
export type { ClientEvmSigner } from "./signer.js";
