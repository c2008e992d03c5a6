export type { MoneyParser } from "@x402kit/core";
export { ExactStellarScheme } from "./exactStellarScheme.js";
export { registerExactStellarScheme, type StellarResourceServerConfig } from "./register.js";
