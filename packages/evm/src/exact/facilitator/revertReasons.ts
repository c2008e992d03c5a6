import { decodeErrorResult, parseAbi, toFunctionSelector } from "viem";
import { formatAbiItem } from "viem/utils";
import { ExactEvmReason as R } from "../../reasons.js";

/** Revert texts of common EIP-3009 tokens (FiatToken, OpenZeppelin) → reason, first match wins. */
const REVERT_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/authorization.*(expired|valid before)|AuthorizationExpired/i, R.ValidBefore],
  [/authorization.*not.*valid|AuthorizationNotYetValid/i, R.ValidAfter],
  [/authorization.*used|AuthorizationAlreadyUsed|AuthorizationUsedOrCanceled/i, R.NonceAlreadyUsed],
  [
    /transfer.*exceeds.*balance|insufficient.*balance|ERC20InsufficientBalance|Panic\(17\)/i,
    R.InsufficientBalance,
  ],
  [
    /invalid.*signature|SignerMismatch|InvalidSignatureV|InvalidSignatureS|ECDSAInvalidSignature|InvalidSigner/i,
    R.Signature,
  ],
];

/**
 * Custom errors of common token code bases (OpenZeppelin 5, Solady, FiatToken-style EIP-3009
 * variants): a revert carrying one of them is decoded to its name, which the patterns above
 * map to a reason (`Error(string)` and `Panic(uint256)` are decoded by viem itself; panic
 * 0x11, an arithmetic underflow, is what a token without a balance check reverts with).
 */
const TOKEN_ERRORS = parseAbi([
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC20InvalidSender(address sender)",
  "error ERC20InvalidReceiver(address receiver)",
  "error InsufficientBalance()",
  "error InsufficientAllowance()",
  "error ECDSAInvalidSignature()",
  "error ECDSAInvalidSignatureLength(uint256 length)",
  "error ECDSAInvalidSignatureS(bytes32 s)",
  "error InvalidSignature()",
  "error InvalidSigner()",
  "error SignerMismatch()",
  "error AuthorizationExpired()",
  "error AuthorizationNotYetValid()",
  "error AuthorizationAlreadyUsed()",
  "error AuthorizationAlreadyUsed(address authorizer, bytes32 nonce)",
  "error AuthorizationUsedOrCanceled(address authorizer, bytes32 nonce)",
]);

const REVERT_DATA = /0x[0-9a-fA-F]{8}(?:[0-9a-fA-F]{2})*/g;
/** Selector → name, for texts that carry only the 4-byte selector of a custom error. */
const ERROR_NAMES = new Map(
  TOKEN_ERRORS.map((item) => [toFunctionSelector(formatAbiItem(item).replace(/^error /, "")), item.name]),
);

/**
 * A readable name for revert data (`ERC20InsufficientBalance(0x…, 0, 10000)`,
 * `Error("…")`, `Panic(17)`), or `undefined` for an unknown selector.
 *
 * @example
 * ```ts
 * describeRevertData("0xe450d38c…"); // "ERC20InsufficientBalance(0x…, 0, 10000)"
 * ```
 */
export function describeRevertData(data: `0x${string}`): string | undefined {
  try {
    const { errorName, args } = decodeErrorResult({ abi: TOKEN_ERRORS, data });
    return `${errorName}(${(args ?? []).map((arg) => (typeof arg === "string" && (errorName as string) === "Error" ? JSON.stringify(arg) : String(arg))).join(", ")})`;
  } catch {
    return ERROR_NAMES.get(data.slice(0, 10).toLowerCase() as `0x${string}`);
  }
}

/**
 * The revert text with every piece of known revert data in it decoded, so a raw selector
 * (what a node's gas estimation returns for a custom error) becomes its name.
 *
 * @example
 * ```ts
 * decodeRevertText("execution reverted — data: 0xe450d38c…"); // "… ERC20InsufficientBalance(0x…, 0, 10000)"
 * ```
 */
export function decodeRevertText(text: string): string {
  const decoded = [...text.matchAll(REVERT_DATA)]
    .map(([data]) => describeRevertData(data as `0x${string}`))
    .filter((name): name is string => name !== undefined);
  return decoded.length ? `${text} (${decoded.join("; ")})` : text;
}

/**
 * The reason string for a failed `transferWithAuthorization` (simulation or broadcast),
 * from its revert text or data; `invalid_exact_evm_transaction_failed` when nothing more
 * specific matches.
 *
 * @example
 * ```ts
 * reasonFromRevert("FiatTokenV2: authorization is expired"); // "invalid_exact_evm_payload_authorization_valid_before"
 * ```
 */
export function reasonFromRevert(text: string): string {
  const decoded = decodeRevertText(text);
  for (const [pattern, reason] of REVERT_PATTERNS) if (pattern.test(decoded)) return reason;
  return R.TransactionFailed;
}
