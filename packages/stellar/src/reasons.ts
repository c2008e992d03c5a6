/**
 * Reason strings of the Stellar `exact` scheme, as the official `@x402/stellar` facilitator
 * emits them (`invalidReason` / `errorReason`), plus the generic codes this package returns.
 *
 * @example
 * ```ts
 * if (result.invalidReason === ExactStellarReason.WrongAmount) console.log("amount differs");
 * ```
 */
export const ExactStellarReason = {
  InvalidX402Version: "invalid_x402_version",
  UnsupportedScheme: "unsupported_scheme",
  NetworkMismatch: "network_mismatch",
  InvalidNetwork: "invalid_network",
  Malformed: "invalid_exact_stellar_payload_malformed",
  WrongOperation: "invalid_exact_stellar_payload_wrong_operation",
  UnsafeSource: "invalid_exact_stellar_payload_unsafe_tx_or_op_source",
  WrongAsset: "invalid_exact_stellar_payload_wrong_asset",
  WrongFunctionName: "invalid_exact_stellar_payload_wrong_function_name",
  FacilitatorIsPayer: "invalid_exact_stellar_payload_facilitator_is_payer",
  WrongRecipient: "invalid_exact_stellar_payload_wrong_recipient",
  WrongAmount: "invalid_exact_stellar_payload_wrong_amount",
  SimulationFailed: "invalid_exact_stellar_payload_simulation_failed",
  FeeBelowMinimum: "invalid_exact_stellar_payload_fee_below_minimum",
  FeeExceedsMaximum: "invalid_exact_stellar_payload_fee_exceeds_maximum",
  EventNotTransfer: "invalid_exact_stellar_payload_event_not_transfer",
  EventMissingContractId: "invalid_exact_stellar_payload_event_missing_contract_id",
  EventWrongAsset: "invalid_exact_stellar_payload_event_wrong_asset",
  NoTransferEvents: "invalid_exact_stellar_payload_no_transfer_events",
  MultipleTransfers: "invalid_exact_stellar_payload_multiple_transfers",
  EventWrongFrom: "invalid_exact_stellar_payload_event_wrong_from",
  EventWrongTo: "invalid_exact_stellar_payload_event_wrong_to",
  EventWrongAmount: "invalid_exact_stellar_payload_event_wrong_amount",
  NoAuthEntries: "invalid_exact_stellar_payload_no_auth_entries",
  UnsupportedCredentialType: "invalid_exact_stellar_payload_unsupported_credential_type",
  FacilitatorInAuth: "invalid_exact_stellar_payload_facilitator_in_auth",
  ExpirationTooFar: "invalid_exact_stellar_signature_expiration_too_far",
  HasSubinvocations: "invalid_exact_stellar_payload_has_subinvocations",
  MissingPayerSignature: "invalid_exact_stellar_payload_missing_payer_signature",
  UnexpectedPendingSignatures: "invalid_exact_stellar_payload_unexpected_pending_signatures",
  SignerSelectionFailed: "settle_exact_stellar_signer_selection_failed",
  SigningFailed: "settle_exact_stellar_transaction_signing_failed",
  FeeBumpSigningFailed: "settle_exact_stellar_fee_bump_signing_failed",
  SubmissionFailed: "settle_exact_stellar_transaction_submission_failed",
  TransactionFailed: "settle_exact_stellar_transaction_failed",
  // generic x402 codes this package also returns
  DuplicateSettlement: "duplicate_settlement",
  SettlementPending: "settlement_pending",
  UnexpectedVerifyError: "unexpected_verify_error",
  UnexpectedSettleError: "unexpected_settle_error",
} as const;

/** One of the {@link ExactStellarReason} strings. */
export type ExactStellarReason = (typeof ExactStellarReason)[keyof typeof ExactStellarReason];
