/**
 * Reason strings of the EVM `exact` scheme, as the official `@x402/evm` 2.27 facilitator
 * emits them (`invalidReason` / `errorReason`), plus the generic codes this package
 * returns. Switch on these instead of literal strings.
 *
 * @example
 * ```ts
 * if (result.invalidReason === ExactEvmReason.NonceAlreadyUsed) console.log("already paid");
 * ```
 */
export const ExactEvmReason = {
  Scheme: "invalid_exact_evm_scheme",
  MissingEip712Domain: "invalid_exact_evm_missing_eip712_domain",
  NetworkMismatch: "invalid_exact_evm_network_mismatch",
  Signature: "invalid_exact_evm_signature",
  RecipientMismatch: "invalid_exact_evm_recipient_mismatch",
  ValidBefore: "invalid_exact_evm_payload_authorization_valid_before",
  ValidAfter: "invalid_exact_evm_payload_authorization_valid_after",
  ValueMismatch: "invalid_exact_evm_payload_authorization_value_mismatch",
  /** The authorization's value cannot be paid (here: an `exact` amount of 0). */
  AuthorizationValue: "invalid_exact_evm_authorization_value",
  /** A counterfactual (ERC-6492) wallet's factory is not in the facilitator's allow-list. */
  Eip6492FactoryNotAllowed: "eip6492_factory_not_allowed",
  SmartWalletDeploymentFailed: "smart_wallet_deployment_failed",
  AssetNotDeployed: "asset_not_deployed_contract",
  NonceAlreadyUsed: "invalid_exact_evm_nonce_already_used",
  InsufficientBalance: "invalid_exact_evm_insufficient_balance",
  SimulationFailed: "invalid_exact_evm_transaction_simulation_failed",
  TransactionFailed: "invalid_exact_evm_transaction_failed",
  TransferEventMismatch: "invalid_exact_evm_transfer_event_mismatch",
  TokenNameMismatch: "invalid_exact_evm_token_name_mismatch",
  TokenVersionMismatch: "invalid_exact_evm_token_version_mismatch",
  Eip3009NotSupported: "invalid_exact_evm_eip3009_not_supported",
  UnsupportedPayloadType: "unsupported_payload_type",
  DuplicateSettlement: "duplicate_settlement",
  InvalidPayload: "invalid_payload",
  /** Local code (the official facilitator has no asset allow-list): the token is not accepted here. */
  AssetNotAllowed: "invalid_exact_evm_asset_not_allowed",
  // generic x402 codes this package also returns
  InvalidPaymentRequirements: "invalid_payment_requirements",
  SettlementPending: "settlement_pending",
  UnexpectedVerifyError: "unexpected_verify_error",
  UnexpectedSettleError: "unexpected_settle_error",
} as const;

/** One of the {@link ExactEvmReason} strings. */
export type ExactEvmReason = (typeof ExactEvmReason)[keyof typeof ExactEvmReason];
