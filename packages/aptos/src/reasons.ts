/**
 * Reason strings of the Aptos `exact` scheme, as the official `@x402/aptos` facilitator emits
 * them (`invalidReason` / `errorReason`), plus the generic codes this package returns. Some are
 * followed by `": <detail>"` on the wire (`GasTooHigh`, `ChainIdMismatch`, `SimulationFailed`,
 * `VerificationError`, `TransactionFailed`): match those with `startsWith`.
 *
 * @example
 * ```ts
 * if (result.invalidReason?.startsWith(ExactAptosReason.GasTooHigh)) console.log("gas above the sponsor's bound");
 * ```
 */
export const ExactAptosReason = {
  UnsupportedVersion: "invalid_exact_aptos_payload_unsupported_version",
  UnsupportedScheme: "unsupported_scheme",
  NetworkMismatch: "network_mismatch",
  FeePayerNotManaged: "fee_payer_not_managed_by_facilitator",
  VerificationError: "invalid_exact_aptos_payload_verification_error",
  ChainIdMismatch: "invalid_exact_aptos_payload_chain_id_mismatch",
  UnsupportedAuthenticator: "invalid_exact_aptos_payload_unsupported_authenticator",
  SenderAuthenticatorMismatch: "invalid_exact_aptos_payload_sender_authenticator_mismatch",
  InvalidSignature: "invalid_exact_aptos_payload_sender_authenticator_invalid_signature",
  GasTooHigh: "invalid_exact_aptos_payload_gas_too_high",
  GasUnitPriceTooHigh: "invalid_exact_aptos_payload_gas_unit_price_too_high",
  FeePayerMismatch: "invalid_exact_aptos_payload_fee_payer_mismatch",
  FeePayerTransferringFunds: "invalid_exact_aptos_payload_fee_payer_transferring_funds",
  TransactionExpired: "invalid_exact_aptos_payload_transaction_expired",
  MissingEntryFunction: "invalid_exact_aptos_payload_missing_entry_function",
  WrongFunction: "invalid_exact_aptos_payload_wrong_function",
  WrongTypeArgs: "invalid_exact_aptos_payload_wrong_type_args",
  WrongArgs: "invalid_exact_aptos_payload_wrong_args",
  AssetMismatch: "invalid_exact_aptos_payload_asset_mismatch",
  AmountMismatch: "invalid_exact_aptos_payload_amount_mismatch",
  RecipientMismatch: "invalid_exact_aptos_payload_recipient_mismatch",
  /** Ours: a sponsored payment whose sender is `payTo`. */
  SenderIsRecipient: "invalid_exact_aptos_payload_sender_is_recipient",
  InsufficientBalance: "invalid_exact_aptos_payload_insufficient_balance",
  SimulationFailed: "invalid_exact_aptos_payload_simulation_failed",
  TransactionFailed: "transaction_failed",
  // generic x402 codes this package also returns
  DuplicateSettlement: "duplicate_settlement",
  SettlementPending: "settlement_pending",
  InvalidPaymentRequirements: "invalid_payment_requirements",
  UnexpectedVerifyError: "unexpected_verify_error",
  UnexpectedSettleError: "unexpected_settle_error",
} as const;

/** One of the {@link ExactAptosReason} strings. */
export type ExactAptosReason = (typeof ExactAptosReason)[keyof typeof ExactAptosReason];
