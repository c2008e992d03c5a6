export { ExactEvmServer, type MoneyParser } from "./exact-evm-server.js";
export {
  type RegisterExactEvmServerOptions,
  registerExactEvmServer,
  type SchemeServerRegistry,
} from "./register.js";
