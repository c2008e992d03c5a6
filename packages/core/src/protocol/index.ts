export {
  type CheckFailure,
  type CheckResult,
  fail,
  failureToSettleResponse,
  failureToVerifyResponse,
  passed,
} from "./checks.js";
export { explainMismatch, findMatchingRequirements, requirementsMatch } from "./match.js";
export { atomicToDecimal, isMoney, moneyToAtomic } from "./money.js";
export { type HasScheme, networkMatches, SchemeRegistry, splitNetwork } from "./registry.js";
export { failedSettlement, invalidVerification } from "./results.js";
export * from "./schemas.js";
export * from "./types.js";
export { issueToError, matches, parseWith } from "./validate.js";
