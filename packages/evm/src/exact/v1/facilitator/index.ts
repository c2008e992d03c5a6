export type { ExactEvmSchemeConfig as ExactEvmSchemeV1Config } from "../../facilitator/exactEvmScheme.js";
export { ExactEvmSchemeV1 } from "./exactEvmSchemeV1.js";
export { type EvmFacilitatorConfigV1, registerExactEvmSchemeV1 } from "./register.js";
export { exactEvmSchemeFor } from "./sharedScheme.js";
