export type {
  FacilitatorContext,
  FacilitatorExtension,
  FacilitatorExtensionRoute,
  SchemeFacilitator,
  SchemeFacilitatorRegistry,
} from "../schemes/facilitator.js";
export {
  FACILITATOR_ENDPOINTS,
  type FacilitatorHttpRequest,
  type FacilitatorHttpResponse,
  findExtensionRoute,
  handleFacilitatorRequest,
} from "./http.js";
export {
  InMemoryPendingSettlementStore,
  PENDING_SETTLEMENT_TTL_MS,
  type PendingSettlementStore,
} from "./pendingSettlementStore.js";
export type {
  FacilitatorConfigProblem,
  FacilitatorPlugin,
  FacilitatorPluginContext,
  FacilitatorPluginInput,
  FacilitatorPluginLogger,
  FacilitatorPluginOption,
  FacilitatorPluginRegistration,
} from "./plugin.js";
export { parseSignerKeys } from "./plugin.js";
export {
  type BaseSettlementRecord,
  SETTLEMENT_GUARD_LOST,
  SETTLEMENT_LEDGER_OPTIONS,
  type SettlementGuard,
  SettlementLedger,
  type SettlementLedgerOptions,
} from "./settlementLedger.js";
export {
  type AnyPaymentPayload,
  type AnyPaymentRequirements,
  type FacilitatorHookContext,
  type FacilitatorSupportedResponse,
  x402Facilitator,
} from "./x402Facilitator.js";
