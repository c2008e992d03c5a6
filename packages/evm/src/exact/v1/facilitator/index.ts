export { ExactEvmSchemeV1 } from "./exactEvmSchemeV1.js";
export { type EvmFacilitatorConfigV1, registerExactEvmSchemeV1 } from "./register.js";
