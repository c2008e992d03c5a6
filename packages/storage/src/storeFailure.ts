import { X402Error } from "@x402kit/core";

/**
 * A driver failure (connection lost, disk full, closed store) as the one x402kit error type:
 * code `store_unavailable`, the driver's error as `cause`. Our own errors pass through.
 */
export function storeFailure(backend: string, operation: string, cause: unknown): X402Error {
  if (cause instanceof X402Error) return cause;
  return new X402Error("store_unavailable", `${backend} store: ${operation} failed`, { cause });
}

/** Checks a table name before it is written into SQL (it cannot be a bound parameter). */
export function checkTableName(table: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
    throw new X402Error(
      "invalid_store_options",
      `table must be a plain SQL identifier, got ${JSON.stringify(table)}`,
    );
  }
  return table;
}

/**
 * The smallest string above every string that starts with `prefix`, in code point order
 * (= UTF-8 byte order, which SQLite's BINARY and PostgreSQL's "C" collation use), so
 * `key >= prefix AND key < bound` selects the prefix with an index range and no LIKE
 * wildcards. `undefined` when no bound exists (empty prefix, or only U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = (points.pop() as string).codePointAt(0) as number;
    if (last === 0x10ffff) continue;
    // Skip the surrogate block: those code points are not valid text.
    const next = last === 0xd7ff ? 0xe000 : last + 1;
    return points.join("") + String.fromCodePoint(next);
  }
  return undefined;
}
