import type { FailedTransactionMetadata } from "litesvm";

// Variant names of Solana's TransactionError / InstructionError, in litesvm's enum order.
const TRANSACTION_ERRORS =
  "AccountInUse AccountLoadedTwice AccountNotFound ProgramAccountNotFound InsufficientFundsForFee InvalidAccountForFee AlreadyProcessed BlockhashNotFound CallChainTooDeep MissingSignatureForFee InvalidAccountIndex SignatureFailure InvalidProgramForExecution SanitizeFailure ClusterMaintenance AccountBorrowOutstanding WouldExceedMaxBlockCostLimit UnsupportedVersion InvalidWritableAccount WouldExceedMaxAccountCostLimit WouldExceedAccountDataBlockLimit TooManyAccountLocks AddressLookupTableNotFound InvalidAddressLookupTableOwner InvalidAddressLookupTableData InvalidAddressLookupTableIndex InvalidRentPayingAccount WouldExceedMaxVoteCostLimit WouldExceedAccountDataTotalLimit MaxLoadedAccountsDataSizeExceeded ResanitizationNeeded InvalidLoadedAccountsDataSizeLimit UnbalancedTransaction ProgramCacheHitMaxLimit CommitCancelled".split(
    " ",
  );
const INSTRUCTION_ERRORS =
  "GenericError InvalidArgument InvalidInstructionData InvalidAccountData AccountDataTooSmall InsufficientFunds IncorrectProgramId MissingRequiredSignature AccountAlreadyInitialized UninitializedAccount UnbalancedInstruction ModifiedProgramId ExternalAccountLamportSpend ExternalAccountDataModified ReadonlyLamportChange ReadonlyDataModified DuplicateAccountIndex ExecutableModified RentEpochModified NotEnoughAccountKeys AccountDataSizeChanged AccountNotExecutable AccountBorrowFailed AccountBorrowOutstanding DuplicateAccountOutOfSync InvalidError ExecutableDataModified ExecutableLamportChange ExecutableAccountNotRentExempt UnsupportedProgramId CallDepth MissingAccount ReentrancyNotAllowed MaxSeedLengthExceeded InvalidSeeds InvalidRealloc ComputationalBudgetExceeded PrivilegeEscalation ProgramEnvironmentSetupFailure ProgramFailedToComplete ProgramFailedToCompile Immutable IncorrectAuthority AccountNotRentExempt InvalidAccountOwner ArithmeticOverflow UnsupportedSysvar IllegalOwner MaxAccountsDataAllocationsExceeded MaxAccountsExceeded MaxInstructionTraceLengthExceeded BuiltinProgramsMustConsumeComputeUnits BorshIoError".split(
    " ",
  );

/** A transaction error as Solana's JSON-RPC spells it: `"BlockhashNotFound"`, `{ InstructionError: [2, { Custom: 1 }] }`. */
export type RpcTransactionError = string | Record<string, unknown>;

/**
 * litesvm's failure → the JSON shape a Solana RPC node answers in `err`.
 *
 * @example
 * ```ts
 * const result = svm.simulateTransaction(tx);
 * if ("err" in result) toRpcError(result); // "BlockhashNotFound"
 * ```
 */
export function toRpcError(failed: FailedTransactionMetadata): RpcTransactionError {
  const err = failed.err() as unknown;
  if (typeof err === "number") return TRANSACTION_ERRORS[err] ?? `TransactionError${err}`;
  const e = err as { index?: number; accountIndex?: number; err?: () => unknown; toString(): string };
  if (typeof e.err === "function" && typeof e.index === "number") {
    const inner = e.err() as unknown;
    const detail =
      typeof inner === "number"
        ? (INSTRUCTION_ERRORS[inner] ?? `InstructionError${inner}`)
        : typeof (inner as { code?: unknown }).code === "number"
          ? { Custom: (inner as { code: number }).code }
          : String(inner);
    return { InstructionError: [e.index, detail] };
  }
  if (typeof e.index === "number") return { DuplicateInstruction: e.index };
  if (typeof e.accountIndex === "number") {
    const name = e.toString().includes("Rent")
      ? "InsufficientFundsForRent"
      : "ProgramExecutionTemporarilyRestricted";
    return { [name]: { account_index: e.accountIndex } };
  }
  return e.toString();
}
