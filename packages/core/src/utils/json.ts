/**
 * JSON with sorted keys, so equal objects give equal strings.
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2] }); // '{"a":[2],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Deep equality of JSON values, key order ignored.
 * @example
 * ```ts
 * deepEqual({ a: 1, b: 2 }, { b: 2, a: 1 }); // true
 * ```
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * An array as is, a scalar as a one-entry array, anything else `undefined` (for comparing
 * "string or list of strings" fields).
 * @example
 * ```ts
 * toComparableArray("a"); // ["a"]
 * ```
 */
export function toComparableArray(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined || typeof value === "object") return undefined;
  return [value];
}
