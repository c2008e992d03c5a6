export { ExactEvmServer, type MoneyParser } from "./exactEvmServer.js";
export {
  type RegisterExactEvmServerOptions,
  registerExactEvmServer,
  type SchemeServerRegistry,
} from "./register.js";
