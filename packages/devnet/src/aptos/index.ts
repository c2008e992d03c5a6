export { AptosLedger, type AptosLedgerOptions, AptosValidationError } from "./aptosLedger.js";
export { createAptosRestServer } from "./aptosRestServer.js";
export { aptosDevnetLines, describeAptosDevnet } from "./cliInfo.js";
export { type AptosDevnet, type AptosDevnetOptions, startAptosDevnet } from "./startAptosDevnet.js";
export type { TransactionEvent, TransactionJson } from "./transactionJson.js";
