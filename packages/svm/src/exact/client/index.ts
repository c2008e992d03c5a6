export {
  type ClientSvmConfig,
  type ClientSvmSigner,
  ExactSvmScheme,
  toClientSvmSigner,
} from "./exactSvmScheme.js";
export { ExactSvmSchemeV1 } from "./exactSvmSchemeV1.js";
export { registerExactSvmScheme, type SvmClientConfig } from "./register.js";
