/** A failed check: the wire reason and a human explanation. */
export interface CheckFailure {
  ok: false;
  reason: string;
  message: string;
}

/** The outcome of one verification step. */
export type CheckResult<T = undefined> = { ok: true; value: T } | CheckFailure;

/** Build a {@link CheckFailure}. */
export const fail = (reason: string, message: string): CheckFailure => ({ ok: false, reason, message });
