import { ExactEvmReason as R } from "../../reasons.js";

/** Revert texts of common EIP-3009 tokens (FiatToken, OpenZeppelin) → reason, first match wins. */
const REVERT_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/authorization.*(expired|valid before)|AuthorizationExpired/i, R.ValidBefore],
  [/authorization.*not.*valid|AuthorizationNotYetValid/i, R.ValidAfter],
  [/authorization.*used|AuthorizationAlreadyUsed|AuthorizationUsedOrCanceled/i, R.NonceAlreadyUsed],
  [/transfer.*exceeds.*balance|insufficient.*balance|ERC20InsufficientBalance/i, R.InsufficientBalance],
  [/invalid.*signature|SignerMismatch|InvalidSignatureV|InvalidSignatureS/i, R.Signature],
];

/**
 * The reason string for a failed `transferWithAuthorization` broadcast, from its revert
 * text; `invalid_exact_evm_transaction_failed` when nothing more specific matches.
 *
 * @example
 * ```ts
 * reasonFromRevert("FiatTokenV2: authorization is expired"); // "invalid_exact_evm_payload_authorization_valid_before"
 * ```
 */
export function reasonFromRevert(text: string): string {
  for (const [pattern, reason] of REVERT_PATTERNS) if (pattern.test(text)) return reason;
  return R.TransactionFailed;
}
