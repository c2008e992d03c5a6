export { type StellarDevnet, type StellarDevnetOptions, startStellarDevnet } from "./startStellarDevnet.js";
export {
  type SimulationJson,
  StellarLedger,
  type StellarToken,
  type StellarTxRecord,
  TRANSFER_RESOURCES,
} from "./stellarLedger.js";
