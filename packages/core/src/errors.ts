/**
 * The generic x402 reason strings (spec §9 and the official SDKs): they travel on the wire as
 * `invalidReason` / `errorReason` / `PaymentRequired.error`.
 */
export type X402WireReason =
  | "insufficient_funds"
  | "invalid_network"
  | "invalid_payload"
  | "invalid_payment_requirements"
  | "invalid_scheme"
  | "unsupported_scheme"
  | "invalid_x402_version"
  | "invalid_transaction_state"
  | "unexpected_verify_error"
  | "unexpected_settle_error"
  | "unsupported_payload_type"
  | "transaction_failed"
  | "transaction_simulation_failed"
  | "duplicate_settlement"
  | "settlement_pending"
  | "extension_echo_mismatch"
  | "before_verify_hook_error"
  | "before_settle_hook_error";

/** Codes of failures that stay local (thrown to the caller, or shown in a 4xx/5xx body). */
export type X402LocalCode =
  | "payment_header_too_large"
  | "no_matching_requirements"
  | "spending_limit_exceeded"
  | "payment_already_attempted"
  | "payment_creation_aborted"
  | "payment_creation_failed"
  | "before_payment_creation_hook_error"
  | "protected_request_hook_error"
  | "invalid_route_config"
  | "invalid_price"
  | "invalid_facilitator_config"
  | "invalid_store_ttl"
  | "store_closed"
  | "store_unavailable"
  | "scheme_not_registered"
  | "facilitator_unavailable"
  | "facilitator_bad_response"
  | "facilitator_unsupported";

/**
 * Reasons a scheme defines for itself, by the prefixes the official facilitators use
 * (`invalid_exact_evm_signature`, `invalid_exact_svm_payload_mint_mismatch`,
 * `permit2_deadline_expired`, `settle_exact_stellar_transaction_failed`, …).
 */
export type X402SchemeReason =
  | `invalid_${string}`
  | `settle_${string}`
  | `permit2_${string}`
  | `eip2612_${string}`
  | `erc20_approval_${string}`;

/**
 * The one union of x402kit error codes. Protocol failures use the wire reason string itself,
 * so callers can switch on `code` whether the failure was local or came from a facilitator.
 */
export type X402ErrorCode = X402WireReason | X402LocalCode | X402SchemeReason;

/** Options of {@link X402Error}. */
export interface X402ErrorOptions {
  /** The error that caused this one. */
  cause?: unknown;
  /** HTTP status that best describes the failure, when it reaches a transport. */
  status?: number;
  /** Structured details (never secrets). */
  details?: Record<string, unknown>;
}

/**
 * The one error type of x402kit. `code` is stable and, for protocol failures, equal to the
 * wire reason string, so callers can switch on it. `message` stays short (it may reach a
 * client as `invalidMessage`); what caused it hangs off `cause`, which {@link walk} follows.
 *
 * @example
 * ```ts
 * try { await client.createPaymentPayload(required); }
 * catch (e) { if (isX402Error(e) && e.code === "spending_limit_exceeded") askUser(); }
 * ```
 */
export class X402Error extends Error {
  override readonly name = "X402Error";
  readonly code: X402ErrorCode;
  readonly status: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: X402ErrorCode, message: string, options: X402ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.details = options.details;
  }

  /** The short message (viem's name for it), for code that reads `shortMessage` from any error. */
  get shortMessage(): string {
    return this.message;
  }

  /**
   * Follow the `cause` chain: the deepest cause, or the first link for which `predicate` holds.
   * @example
   * ```ts
   * const rpcError = error.walk((e) => (e as { code?: unknown }).code === -32000);
   * ```
   */
  walk(predicate?: (error: unknown) => boolean): unknown {
    let current: unknown = this;
    const seen = new Set<unknown>();
    while (current !== undefined && current !== null && !seen.has(current)) {
      if (predicate?.(current)) return current;
      seen.add(current);
      const next = (current as { cause?: unknown }).cause;
      if (next === undefined || next === null) return predicate ? undefined : current;
      current = next;
    }
    return predicate ? undefined : current;
  }
}

/**
 * True when `value` is an {@link X402Error}, optionally with the given code.
 * @example
 * ```ts
 * if (isX402Error(error, "spending_limit_exceeded")) console.warn(error.message);
 * ```
 */
export function isX402Error(value: unknown, code?: X402ErrorCode): value is X402Error {
  return value instanceof X402Error && (code === undefined || value.code === code);
}

/**
 * A short, safe description of any thrown value (for `invalidMessage` / `errorMessage`).
 * Prefers an error's `shortMessage` (viem's convention), because full messages of RPC
 * libraries carry request details such as RPC URLs, which often embed API keys.
 * @example
 * ```ts
 * return invalidVerification("unexpected_verify_error", describeError(error));
 * ```
 */
export function describeError(error: unknown, maxLength = 500): string {
  const short = (error as { shortMessage?: unknown } | null)?.shortMessage;
  const text =
    typeof short === "string" && short ? short : error instanceof Error ? error.message : String(error);
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
