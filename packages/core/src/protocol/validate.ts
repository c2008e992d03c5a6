import * as v from "valibot";
import { X402Error, type X402ErrorCode } from "../errors.js";

/**
 * Parse untrusted input with a schema, or throw an {@link X402Error} whose message names
 * the first offending field.
 *
 * @example
 * ```ts
 * const payload = parseWith(PaymentPayloadSchema, json, "invalid_payload");
 * ```
 */
export function parseWith<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  code: X402ErrorCode,
  status = 400,
): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw issueToError(result.issues[0], code, status);
}

/**
 * An {@link X402Error} naming the field of a validation issue (`prefix.a.b: message`).
 * @example
 * ```ts
 * const result = v.safeParse(PaymentPayloadSchema, input);
 * if (!result.success) throw issueToError(result.issues[0], "invalid_payload");
 * ```
 */
export function issueToError(
  issue: v.BaseIssue<unknown>,
  code: X402ErrorCode,
  status = 400,
  prefix?: string,
): X402Error {
  const keys = issue.path?.map((p) => String(p.key)) ?? [];
  const path = [prefix, ...keys].filter(Boolean).join(".") || "(root)";
  return new X402Error(code, `${path}: ${issue.message}`, { status, details: { path } });
}

/**
 * True when `input` satisfies `schema` (no throw).
 * @example
 * ```ts
 * if (matches(SettleResponseSchema, json)) console.log(json.transaction);
 * ```
 */
export function matches<S extends v.GenericSchema>(schema: S, input: unknown): input is v.InferOutput<S> {
  return v.is(schema, input);
}
