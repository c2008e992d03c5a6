/**
 * Stable error codes. Codes that travel on the wire are the x402 reason strings
 * (`invalidReason` / `errorReason` / `PaymentRequired.error`); the rest name local failures.
 */
export type X402ErrorCode =
  // protocol reasons (wire)
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
  | "duplicate_settlement"
  | "settlement_pending"
  // local (never sent as a reason by us, but may appear in messages)
  | "payment_header_too_large"
  | "no_matching_requirements"
  | "spending_limit_exceeded"
  | "payment_already_attempted"
  | "payment_creation_aborted"
  | "invalid_route_config"
  | "invalid_price"
  | "scheme_not_registered"
  | "facilitator_unavailable"
  | "facilitator_bad_response"
  | "facilitator_unsupported"
  // scheme specific codes are open-ended strings
  | (string & {});

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
 * wire reason string, so callers can switch on it.
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
