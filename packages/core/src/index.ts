/**
 * @x402kit/core — the x402 protocol without any chain: types, validation, header codecs,
 * errors, the scheme registry, and (under subpaths) the client, resource-server and
 * facilitator engines.
 *
 * @packageDocumentation
 */
export {
  describeError,
  isX402Error,
  X402Error,
  type X402ErrorCode,
  type X402ErrorOptions,
  type X402LocalCode,
  type X402SchemeReason,
  type X402WireReason,
} from "./errors.js";
export { type AbortResult, HookList } from "./hooks.js";
export {
  type FailureContext,
  type Hook,
  type PaymentHookContext,
  PaymentLifecycle,
  type Recovery,
} from "./lifecycle.js";
export * from "./protocol/index.js";
export type {
  AssetInfo,
  DefaultAsset,
  FacilitatorClient,
  FacilitatorContext,
  FacilitatorExtension,
  FacilitatorExtensionRoute,
  FindDefaultAsset,
  MoneyParser,
  PaymentPayloadContext,
  PaymentPayloadResult,
  PaymentResponseContext,
  SchemeClient,
  SchemeClientHooks,
  SchemeFacilitator,
  SchemeFacilitatorRegistry,
  SchemeNetworkClient,
  SchemeNetworkServer,
  SchemeServer,
  SchemeServerContext,
  SchemeServerRegistry,
  SchemeVerifyResponse,
} from "./schemes/index.js";
