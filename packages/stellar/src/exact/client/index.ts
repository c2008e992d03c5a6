export { ExactStellarScheme } from "./exactStellarScheme.js";
export { registerExactStellarScheme, type StellarClientConfig } from "./register.js";
