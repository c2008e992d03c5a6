/**
 * The wire reason strings of SVM `exact` (the official `@x402/svm` spellings).
 *
 * @example
 * ```ts
 * if (result.invalidReason === ExactSvmReason.AmountMismatch) retry();
 * ```
 */
export const ExactSvmReason = {
  UnsupportedScheme: "invalid_exact_svm_unsupported_scheme",
  NetworkMismatch: "invalid_exact_svm_network_mismatch",
  MissingFeePayer: "invalid_exact_svm_payload_missing_fee_payer",
  FeePayerNotManaged: "invalid_exact_svm_fee_payer_not_managed_by_facilitator",
  InvalidTransaction: "invalid_exact_svm_payload_transaction",
  CouldNotDecode: "invalid_exact_svm_payload_transaction_could_not_be_decoded",
  ExcessiveSigners: "invalid_exact_svm_payload_excessive_signers",
  FeePayerMismatch: "invalid_exact_svm_fee_payer_mismatch",
  SignatureInvalid: "invalid_exact_svm_payload_signature_invalid",
  AltResolutionNotAvailable: "invalid_exact_svm_smart_wallet_alt_resolution_not_available",
  InstructionsLength: "invalid_exact_svm_payload_transaction_instructions_length",
  ComputeLimitInstruction: "invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction",
  ComputeLimitTooHigh:
    "invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction_too_high",
  ComputePriceInstruction: "invalid_exact_svm_payload_transaction_instructions_compute_price_instruction",
  ComputePriceTooHigh:
    "invalid_exact_svm_payload_transaction_instructions_compute_price_instruction_too_high",
  NoTransferInstruction: "invalid_exact_svm_payload_no_transfer_instruction",
  FeePayerTransferringFunds: "invalid_exact_svm_payload_transaction_fee_payer_transferring_funds",
  MintMismatch: "invalid_exact_svm_payload_mint_mismatch",
  RecipientMismatch: "invalid_exact_svm_payload_recipient_mismatch",
  AmountMismatch: "invalid_exact_svm_payload_amount_mismatch",
  UnknownFourthInstruction: "invalid_exact_svm_payload_unknown_fourth_instruction",
  UnknownFifthInstruction: "invalid_exact_svm_payload_unknown_fifth_instruction",
  UnknownSixthInstruction: "invalid_exact_svm_payload_unknown_sixth_instruction",
  UnknownSeventhInstruction: "invalid_exact_svm_payload_unknown_seventh_instruction",
  UnknownOptionalInstruction: "invalid_exact_svm_payload_unknown_optional_instruction",
  MemoCount: "invalid_exact_svm_payload_memo_count",
  MemoMismatch: "invalid_exact_svm_payload_memo_mismatch",
  SimulationFailed: "invalid_exact_svm_transaction_simulation_failed",
  InvalidFeePayer: "invalid_exact_svm_invalid_fee_payer",
  SigningFailed: "invalid_exact_svm_transaction_signing_failed",
  VerificationFailed: "invalid_exact_svm_verification_failed",
  TransactionFailed: "invalid_exact_svm_transaction_failed",
  DuplicateSettlement: "duplicate_settlement",
  SettlementPending: "settlement_pending",
} as const;

/**
 * One of {@link ExactSvmReason}'s values.
 *
 * @example
 * ```ts
 * const reason: ExactSvmReasonCode = "duplicate_settlement";
 * ```
 */
export type ExactSvmReasonCode = (typeof ExactSvmReason)[keyof typeof ExactSvmReason];
