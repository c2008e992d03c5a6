export { awaitTransaction, type SettlementTarget } from "./awaitTransaction.js";
export { ExactStellarScheme, type ExactStellarSchemeConfig } from "./exactStellarScheme.js";
export { type ExactStellarPluginConfig, exactStellarFacilitatorPlugin } from "./plugin.js";
export { registerExactStellarScheme, type StellarFacilitatorConfig } from "./register.js";
export { StellarSettlementLedger, type StellarSettlementRecord } from "./settlementLedger.js";
export { SequenceTracker } from "./submitTransaction.js";
