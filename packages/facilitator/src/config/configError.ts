import { X402Error } from "@x402kit/core";

/**
 * The error of a bad configuration: code `invalid_facilitator_config`, a message that
 * names the field (or environment variable) at fault, and that field in `details.field`.
 * Messages never contain the value of a secret.
 *
 * @example
 * ```ts
 * throw configError("port", "must be an integer between 0 and 65535");
 * ```
 */
export function configError(field: string, problem: string, cause?: unknown): X402Error {
  return new X402Error("invalid_facilitator_config", `${field}: ${problem}`, {
    details: { field },
    ...(cause === undefined ? {} : { cause }),
  });
}
