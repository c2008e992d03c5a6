export { type HttpResponseInstructions, jsonResponse } from "./responses.js";
export {
  type CompiledRoute,
  type CustomBody,
  compileRoutes,
  type Dynamic,
  findRoute,
  normalizePath,
  type PaymentOption,
  type RequestContext,
  type RouteConfig,
  type RoutesConfig,
} from "./routes.js";
export {
  type HttpRequest,
  type HttpResourceServerOptions,
  type ProcessResult,
  type ProtectedRequestResult,
  type RouteMatch,
  type SettleOutcome,
  type VerifiedPayment,
  x402HTTPResourceServer,
} from "./x402HTTPResourceServer.js";
export {
  DEFAULT_FACILITATOR_URL,
  type PaymentHookContext,
  type ResolvedPaymentOption,
  x402ResourceServer,
} from "./x402ResourceServer.js";
