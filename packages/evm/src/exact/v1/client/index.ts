export { ExactEvmSchemeV1 } from "./exactEvmSchemeV1.js";
export { type EvmClientConfigV1, registerExactEvmSchemeV1 } from "./register.js";
