import { X402Error } from "../errors.js";

/**
 * A facilitator could not be asked or answered something unusable (official name). An
 * {@link X402Error} with status 502: code `facilitator_unavailable` (no answer) or
 * `facilitator_bad_response` (malformed answer). The payment itself was not judged.
 *
 * @example
 * ```ts
 * if (getFacilitatorResponseError(error)) return res.status(502).json({ error: "facilitator down" });
 * ```
 */
export class FacilitatorResponseError extends X402Error {
  constructor(
    message: string,
    options: {
      code?: "facilitator_unavailable" | "facilitator_bad_response";
      cause?: unknown;
      details?: Record<string, unknown>;
    } = {},
  ) {
    super(options.code ?? "facilitator_bad_response", message, {
      status: 502,
      cause: options.cause,
      details: options.details,
    });
  }
}

/**
 * A facilitator call ran out of time. For a settle this is an unknown outcome: the
 * facilitator may still have settled.
 *
 * @example
 * ```ts
 * if (error instanceof FacilitatorTimeoutError) console.warn(error.operation, error.timeoutMs);
 * ```
 */
export class FacilitatorTimeoutError extends FacilitatorResponseError {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
    cause?: unknown,
  ) {
    super(`facilitator ${operation} timed out after ${timeoutMs} ms`, {
      code: "facilitator_unavailable",
      cause,
    });
  }
}

/**
 * Registered schemes need something the facilitators do not offer (their
 * `validateFacilitatorSupport` said so); `problems` lists each mismatch. Code `facilitator_unsupported`.
 *
 * @example
 * ```ts
 * try { await server.initialize(); } catch (e) { if (e instanceof FacilitatorCapabilityError) console.error(e.problems); }
 * ```
 */
export class FacilitatorCapabilityError extends X402Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super("facilitator_unsupported", problems.join("\n"), { details: { problems } });
    this.problems = problems;
  }
}

/**
 * The first {@link FacilitatorResponseError} in an error's cause chain, else `null`.
 *
 * @example
 * ```ts
 * const boundary = getFacilitatorResponseError(error); // 502 when not null
 * ```
 */
export function getFacilitatorResponseError(error: unknown): FacilitatorResponseError | null {
  const seen = new Set<unknown>();
  let current = error;
  while (current !== null && current !== undefined && !seen.has(current)) {
    if (current instanceof FacilitatorResponseError) return current;
    seen.add(current);
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
