export { type StellarDevnet, type StellarDevnetOptions, startStellarDevnet } from "./startStellarDevnet.js";
export {
  type SimulationJson,
  StellarLedger,
  type StellarToken,
  type StellarTxRecord,
} from "./stellarLedger.js";
