import { networkMatches } from "../protocol/registry.js";

/** A facilitator registered for a set of networks and their pattern (official shape). */
export interface SchemeData<T> {
  facilitator: T;
  networks: Set<string>;
  pattern: string;
}

/**
 * The scheme map of a network in a map keyed by network or pattern (`eip155:*`): the exact
 * network first, else the first matching pattern.
 * @example
 * ```ts
 * findSchemesByNetwork(new Map([["eip155:*", new Map([["exact", impl]])]]), "eip155:8453");
 * ```
 */
export function findSchemesByNetwork<T>(
  map: Map<string, Map<string, T>>,
  network: string,
): Map<string, T> | undefined {
  const exact = map.get(network);
  if (exact) return exact;
  for (const [pattern, schemes] of map) if (networkMatches(pattern, network)) return schemes;
  return undefined;
}

/**
 * The implementation of `scheme` on `network` in a network → scheme map.
 * @example
 * ```ts
 * findByNetworkAndScheme(map, "exact", "eip155:8453");
 * ```
 */
export function findByNetworkAndScheme<T>(
  map: Map<string, Map<string, T>>,
  scheme: string,
  network: string,
): T | undefined {
  return findSchemesByNetwork(map, network)?.get(scheme);
}

/**
 * The facilitator of `scheme` whose networks (or pattern) cover `network`.
 * @example
 * ```ts
 * findFacilitatorBySchemeAndNetwork(new Map([["exact", { facilitator, networks, pattern: "eip155:*" }]]), "exact", "eip155:1");
 * ```
 */
export function findFacilitatorBySchemeAndNetwork<T>(
  schemeMap: Map<string, SchemeData<T>>,
  scheme: string,
  network: string,
): T | undefined {
  const data = schemeMap.get(scheme);
  if (!data) return undefined;
  return data.networks.has(network) || networkMatches(data.pattern, network) ? data.facilitator : undefined;
}
