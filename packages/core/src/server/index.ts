// The official type names, for code written against `@x402/core/server`.
export type { HTTPFacilitatorClientOptions as FacilitatorConfig } from "../http/facilitatorClient.js";
export { HTTPFacilitatorClient, type HTTPFacilitatorClientOptions } from "../http/facilitatorClient.js";
export {
  FacilitatorCapabilityError,
  FacilitatorResponseError,
  FacilitatorTimeoutError,
  getFacilitatorResponseError,
} from "../http/facilitatorErrors.js";
export type { FacilitatorClient, MoneyParser, SchemeNetworkServer, SchemeServer } from "../schemes/index.js";
export { type AcceptV1Options, toPaymentRequiredV1 } from "./acceptV1.js";
export {
  type CorsOptions,
  type CorsOrigin,
  type CorsPolicy,
  createCorsPolicy,
  type PreflightRequest,
  type PreflightResponse,
} from "./cors.js";
export {
  assertAcceptsAdditiveExtraAfterSchemeEnrich,
  assertAcceptsAllowlistedAfterExtensionEnrich,
  assertAdditivePayloadEnrichment,
  assertAdditiveSettlementExtra,
  assertSettleResponseCoreUnchanged,
  isVacantStringField,
  type SettleResponseCoreSnapshot,
  snapshotPaymentRequirementsList,
  snapshotSettleResponseCore,
} from "./enrichmentPolicy.js";
export type {
  PaymentRequiredContext,
  PaymentResultContext,
  ResourceServerExtension,
} from "./extensions.js";
export { type MoneyPriceAsset, MoneyPriceParser, type MoneyPriceRules } from "./moneyPrice.js";
export type { HTTPRequestContext, HttpRequest } from "./requestContext.js";
export { resourceServerFromConfig, type SchemeRegistration } from "./resourceServerFromConfig.js";
export type { HttpResponseInstructions as HTTPResponseInstructions } from "./responses.js";
export {
  type HttpResponseInstructions,
  jsonResponse,
  PAYMENT_REQUIRED_CACHE_CONTROL,
  withPrivateCacheControl,
} from "./responses.js";
export { RouteConfigurationError, type RouteValidationError } from "./routeConfigurationError.js";
export type { CustomBody as HTTPResponseBody } from "./routes.js";
export {
  type CompiledRoute,
  type CustomBody,
  checkIfBazaarNeeded,
  compileRoutes,
  type Dynamic,
  findRoute,
  type HTTPAdapter,
  normalizePath,
  type PaymentOption,
  type RequestContext,
  type RouteConfig,
  type RoutesConfig,
} from "./routes.js";
export {
  parseSettlementOverridesHeader,
  resolveSettlementOverrideAmount,
  SETTLEMENT_OVERRIDES_HEADER,
  type SettlementOverrides,
} from "./settlementOverrides.js";
export type {
  ProcessSettleFailureResponse,
  ProcessSettleResultResponse,
  ProcessSettleSuccessResponse,
} from "./settlementResult.js";
export { type SettledWebResponse, settleWebResponse } from "./settleWebResponse.js";
export { attachBackgroundInitHandler, isFatalStartupInitError } from "./startup.js";
export type {
  HandlerCompletion,
  HandlerResponse,
  SettlementPhase,
  SettleOutcome,
  VerifiedPayment,
} from "./verifiedPayment.js";
export type { ProcessResult as HTTPProcessResult } from "./x402HTTPResourceServer.js";
export {
  type HttpResourceServerOptions,
  type PaywallConfig,
  type PaywallProvider,
  type ProcessResult,
  type ProtectedRequestHook,
  type ProtectedRequestResult,
  type RouteMatch,
  x402HTTPResourceServer,
} from "./x402HTTPResourceServer.js";
export type { ResolvedPaymentOption as ResourceConfig } from "./x402ResourceServer.js";
export {
  DEFAULT_FACILITATOR_URL,
  type PaymentHookContext,
  type ResolvedPaymentOption,
  x402ResourceServer,
} from "./x402ResourceServer.js";
