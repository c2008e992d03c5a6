export type { MoneyParser } from "@x402kit/core";
export { ExactSvmScheme, type ExactSvmServerOptions } from "./exactSvmScheme.js";
export { registerExactSvmScheme, type SvmResourceServerConfig } from "./register.js";
