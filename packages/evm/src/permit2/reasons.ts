/**
 * Reason strings of Permit2 payments and of the gas-sponsoring extensions, as the official
 * `@x402/evm` 2.27 facilitator emits them (`invalidReason` / `errorReason`). Shared by the
 * `exact` and `upto` Permit2 facilitators.
 *
 * @example
 * ```ts
 * if (result.invalidReason === Permit2Reason.AllowanceRequired) console.log("approve Permit2 first");
 * ```
 */
export const Permit2Reason = {
  UnsupportedPayloadType: "unsupported_payload_type",
  NetworkMismatch: "invalid_exact_evm_network_mismatch",
  AssetNotDeployed: "asset_not_deployed_contract",
  InvalidSpender: "invalid_permit2_spender",
  RecipientMismatch: "invalid_permit2_recipient_mismatch",
  DeadlineExpired: "permit2_deadline_expired",
  NotYetValid: "permit2_not_yet_valid",
  AmountMismatch: "permit2_amount_mismatch",
  TokenMismatch: "permit2_token_mismatch",
  InvalidSignature: "invalid_permit2_signature",
  ProxyNotDeployed: "permit2_proxy_not_deployed",
  InsufficientBalance: "permit2_insufficient_balance",
  AllowanceRequired: "permit2_allowance_required",
  SimulationFailed: "permit2_simulation_failed",
  // settle-time reverts of the proxy / Permit2
  Permit2612AmountMismatch: "permit2_2612_amount_mismatch",
  InvalidAmount: "permit2_invalid_amount",
  InvalidDestination: "permit2_invalid_destination",
  InvalidOwner: "permit2_invalid_owner",
  PaymentTooEarly: "permit2_payment_too_early",
  InvalidNonce: "permit2_invalid_nonce",
  TransactionFailed: "invalid_exact_evm_transaction_failed",
  // eip2612GasSponsoring
  Eip2612InvalidFormat: "invalid_eip2612_extension_format",
  Eip2612FromMismatch: "eip2612_from_mismatch",
  Eip2612AssetMismatch: "eip2612_asset_mismatch",
  Eip2612SpenderNotPermit2: "eip2612_spender_not_permit2",
  Eip2612DeadlineExpired: "eip2612_deadline_expired",
  // erc20ApprovalGasSponsoring
  Erc20ApprovalInvalidFormat: "invalid_erc20_approval_extension_format",
  Erc20ApprovalFromMismatch: "erc20_approval_from_mismatch",
  Erc20ApprovalAssetMismatch: "erc20_approval_asset_mismatch",
  Erc20ApprovalSpenderNotPermit2: "erc20_approval_spender_not_permit2",
  Erc20ApprovalTxParseFailed: "erc20_approval_tx_parse_failed",
  Erc20ApprovalTxWrongTarget: "erc20_approval_tx_wrong_target",
  Erc20ApprovalTxWrongSelector: "erc20_approval_tx_wrong_selector",
  Erc20ApprovalTxInvalidCalldata: "erc20_approval_tx_invalid_calldata",
  Erc20ApprovalTxWrongSpender: "erc20_approval_tx_wrong_spender",
  Erc20ApprovalTxSignerMismatch: "erc20_approval_tx_signer_mismatch",
  Erc20ApprovalTxInvalidSignature: "erc20_approval_tx_invalid_signature",
  Erc20ApprovalTxFailed: "erc20_approval_tx_failed",
  Erc20ApprovalBroadcastFailed: "erc20_approval_broadcast_failed",
} as const;

/** One of the {@link Permit2Reason} strings. */
export type Permit2Reason = (typeof Permit2Reason)[keyof typeof Permit2Reason];

/** Proxy / Permit2 custom-error names → reason, first match wins (the official mapping order). */
const REVERT_REASONS: ReadonlyArray<readonly [string, string]> = [
  ["Permit2612AmountMismatch", Permit2Reason.Permit2612AmountMismatch],
  ["InvalidAmount", Permit2Reason.InvalidAmount],
  ["InvalidDestination", Permit2Reason.InvalidDestination],
  ["InvalidOwner", Permit2Reason.InvalidOwner],
  ["PaymentTooEarly", Permit2Reason.PaymentTooEarly],
  ["InvalidSignature", Permit2Reason.InvalidSignature],
  ["SignatureExpired", Permit2Reason.InvalidSignature],
  ["InvalidNonce", Permit2Reason.InvalidNonce],
  [Permit2Reason.Erc20ApprovalTxFailed, Permit2Reason.Erc20ApprovalBroadcastFailed],
];

/**
 * The reason for a failed Permit2 proxy call, from its revert text (custom-error names, as
 * viem spells them once decoded with {@link permit2ErrorsAbi}). Unknown texts give
 * `invalid_exact_evm_transaction_failed: <first 500 chars>` like the official facilitator;
 * pass `extra` to map scheme-specific errors first (e.g. upto's `AmountExceedsPermitted`).
 *
 * @example
 * ```ts
 * permit2ReasonFromRevert('reverted with custom error "InvalidNonce()"'); // "permit2_invalid_nonce"
 * ```
 */
export function permit2ReasonFromRevert(
  text: string,
  extra: ReadonlyArray<readonly [string, string]> = [],
  fallback: string = Permit2Reason.TransactionFailed,
): string {
  for (const [needle, reason] of [...extra, ...REVERT_REASONS]) if (text.includes(needle)) return reason;
  return `${fallback}: ${text.slice(0, 500)}`;
}
