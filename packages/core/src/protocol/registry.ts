import { X402Error } from "../errors.js";

/** Anything registered per scheme. */
export interface HasScheme {
  readonly scheme: string;
}

interface VersionTable<T> {
  /** `network` → `scheme` → implementation. */
  exact: Map<string, Map<string, T>>;
  /** CAIP-2 namespace (from `ns:*`) → `scheme` → implementation. */
  wildcard: Map<string, Map<string, T>>;
  /** Implementations of the catch-all pattern `*`. */
  any: Map<string, T>;
}

/**
 * Split a network or pattern into its CAIP-2 namespace and reference.
 * @example
 * ```ts
 * splitNetwork("eip155:8453"); // ["eip155", "8453"]
 * ```
 */
export function splitNetwork(network: string): [namespace: string, reference: string] {
  const colon = network.indexOf(":");
  return colon < 0 ? [network, ""] : [network.slice(0, colon), network.slice(colon + 1)];
}

/**
 * True when `network` matches `pattern` (`eip155:*`, `*`, or an exact id).
 * @example
 * ```ts
 * networkMatches("eip155:*", "eip155:8453"); // true
 * ```
 */
export function networkMatches(pattern: string, network: string): boolean {
  if (pattern === "*" || pattern === network) return true;
  const [ns, ref] = splitNetwork(pattern);
  return ref === "*" && splitNetwork(network)[0] === ns;
}

/**
 * Scheme implementations keyed by x402 version, CAIP-2 network pattern and scheme.
 * Patterns are compiled at registration (`eip155:*` becomes a namespace entry), so a lookup
 * is two map reads. Exact networks win over patterns; the first registration wins.
 *
 * @example
 * ```ts
 * const registry = new SchemeRegistry<SchemeClient>();
 * registry.add(2, "eip155:*", new ExactEvmClient(signer));
 * registry.find(2, "eip155:8453", "exact"); // → the EVM client
 * ```
 */
export class SchemeRegistry<T extends HasScheme> {
  private readonly versions = new Map<number, VersionTable<T>>();

  /** Register `impl` for `pattern` (`ns:ref`, `ns:*` or `*`; for v1 also a plain name such as `base-sepolia`). */
  add(x402Version: number, pattern: string, impl: T): this {
    const table = this.table(x402Version);
    const [ns, ref] = splitNetwork(pattern);
    let bucket: Map<string, T>;
    if (pattern === "*") bucket = table.any;
    // v1 names networks by plain names ("base-sepolia"): exact keys only.
    else if (x402Version === 1 && !pattern.includes(":")) bucket = getOrCreate(table.exact, pattern);
    else if (!ns || !ref || (ref.includes("*") && ref !== "*"))
      throw new X402Error("invalid_network", `"${pattern}" is not a CAIP-2 network or "namespace:*" pattern`);
    else if (ref === "*") bucket = getOrCreate(table.wildcard, ns);
    else bucket = getOrCreate(table.exact, pattern);
    if (!bucket.has(impl.scheme)) bucket.set(impl.scheme, impl);
    return this;
  }

  /** The implementation for a concrete network and scheme, if any. */
  find(x402Version: number, network: string, scheme: string): T | undefined {
    const table = this.versions.get(x402Version);
    if (!table) return undefined;
    return (
      table.exact.get(network)?.get(scheme) ??
      table.wildcard.get(splitNetwork(network)[0])?.get(scheme) ??
      table.any.get(scheme)
    );
  }

  /** True when something is registered for this version, network and scheme. */
  has(x402Version: number, network: string, scheme: string): boolean {
    return this.find(x402Version, network, scheme) !== undefined;
  }

  private table(x402Version: number): VersionTable<T> {
    let table = this.versions.get(x402Version);
    if (!table) {
      table = { exact: new Map(), wildcard: new Map(), any: new Map() };
      this.versions.set(x402Version, table);
    }
    return table;
  }
}

function getOrCreate<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let value = map.get(key);
  if (!value) {
    value = new Map();
    map.set(key, value);
  }
  return value;
}
