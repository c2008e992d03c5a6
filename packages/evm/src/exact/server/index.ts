export type { MoneyParser } from "@x402kit/core";
export { ExactEvmScheme } from "./exactEvmScheme.js";
export { type EvmResourceServerConfig, registerExactEvmScheme } from "./register.js";
