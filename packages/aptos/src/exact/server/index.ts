export type { MoneyParser } from "@x402kit/core";
export { ExactAptosScheme } from "./exactAptosScheme.js";
export { type AptosResourceServerConfig, registerExactAptosScheme } from "./register.js";
