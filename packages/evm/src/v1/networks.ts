import { X402Error } from "@x402kit/core";

/**
 * x402 v1 EVM network names and their chain ids, as the official `@x402/evm/v1` lists them
 * (names are facts of the protocol). Extend it for other chains with {@link registerEvmNetworkV1}.
 *
 * @example
 * ```ts
 * EVM_NETWORK_CHAIN_ID_MAP["base-sepolia"]; // 84532
 * ```
 */
export const EVM_NETWORK_CHAIN_ID_MAP = {
  ethereum: 1,
  sepolia: 11155111,
  abstract: 2741,
  "abstract-testnet": 11124,
  "base-sepolia": 84532,
  base: 8453,
  "avalanche-fuji": 43113,
  avalanche: 43114,
  iotex: 4689,
  sei: 1329,
  "sei-testnet": 1328,
  polygon: 137,
  "polygon-amoy": 80002,
  peaq: 3338,
  story: 1514,
  educhain: 41923,
  "skale-base-sepolia": 324705682,
  megaeth: 4326,
  monad: 143,
  stable: 988,
  "stable-testnet": 2201,
  celo: 42220,
  flare: 14,
} as const;

/** A v1 EVM network name of the official table. */
export type EvmNetworkV1 = keyof typeof EVM_NETWORK_CHAIN_ID_MAP;

/**
 * The official v1 EVM network names (the keys of {@link EVM_NETWORK_CHAIN_ID_MAP}). Names added
 * with {@link registerEvmNetworkV1} are listed by {@link evmNetworksV1} instead.
 *
 * @example
 * ```ts
 * NETWORKS.includes("base"); // true
 * ```
 */
export const NETWORKS: string[] = Object.keys(EVM_NETWORK_CHAIN_ID_MAP);

// Names a user added (a local chain, a chain the official table lacks); checked before the table.
const added = new Map<string, number>();

/**
 * Add a v1 network name for a chain id, for chains the official table lacks (a local anvil,
 * a new L2). The official table's names cannot be redefined. Affects every v1 scheme in the
 * process; register the name before creating clients or servers that should pay or accept it.
 *
 * @throws {X402Error} `invalid_network` for an empty name, a name of the official table
 * mapped to another chain, or a chain id that is not a positive safe integer.
 * @example
 * ```ts
 * registerEvmNetworkV1("anvil", 31337);
 * getEvmChainIdV1("anvil"); // 31337
 * ```
 */
export function registerEvmNetworkV1(name: string, chainId: number): void {
  if (!name || name.includes(":"))
    throw new X402Error("invalid_network", `"${name}" is not a v1 network name (no ":" allowed)`);
  if (!Number.isSafeInteger(chainId) || chainId <= 0)
    throw new X402Error("invalid_network", `chain id ${chainId} is not a positive integer`);
  const official = (EVM_NETWORK_CHAIN_ID_MAP as Record<string, number>)[name];
  if (official !== undefined && official !== chainId)
    throw new X402Error("invalid_network", `"${name}" is already chain ${official}`);
  if (official === undefined) added.set(name, chainId);
}

/**
 * Every v1 EVM network name known in this process: the official ones, then the added ones.
 *
 * @example
 * ```ts
 * for (const name of evmNetworksV1()) client.registerV1(name, new ExactEvmSchemeV1(account));
 * ```
 */
export function evmNetworksV1(): string[] {
  return [...NETWORKS, ...added.keys()];
}

/**
 * The chain id of a v1 network name, or `undefined` for a name nobody registered.
 *
 * @example
 * ```ts
 * tryGetEvmChainIdV1("base"); // 8453
 * ```
 */
export function tryGetEvmChainIdV1(network: unknown): number | undefined {
  if (typeof network !== "string") return undefined;
  return (
    (Object.hasOwn(EVM_NETWORK_CHAIN_ID_MAP, network)
      ? (EVM_NETWORK_CHAIN_ID_MAP as Record<string, number>)[network]
      : undefined) ?? added.get(network)
  );
}

/**
 * The chain id of a v1 network name (official name and behaviour: unknown names throw).
 *
 * @throws {X402Error} `invalid_network` for a name neither the official table nor
 * {@link registerEvmNetworkV1} knows.
 * @example
 * ```ts
 * getEvmChainIdV1("base-sepolia"); // 84532
 * ```
 */
export function getEvmChainIdV1(network: string): number {
  const chainId = tryGetEvmChainIdV1(network);
  if (chainId === undefined) throw new X402Error("invalid_network", `Unsupported v1 network: ${network}`);
  return chainId;
}

/**
 * The v1 name of an EVM chain (a CAIP-2 id `eip155:<id>` or the chain id), or `undefined`
 * when it has none. An added name wins over the official one for the same chain.
 *
 * @example
 * ```ts
 * evmNetworkNameV1("eip155:8453"); // "base"
 * ```
 */
export function evmNetworkNameV1(network: string | number): string | undefined {
  const chainId =
    typeof network === "number" ? network : Number(/^eip155:(\d+)$/.exec(network)?.[1] ?? Number.NaN);
  for (const [name, id] of added) if (id === chainId) return name;
  for (const [name, id] of Object.entries(EVM_NETWORK_CHAIN_ID_MAP)) if (id === chainId) return name;
  return undefined;
}

/**
 * The CAIP-2 id of a v1 EVM network name, or `undefined` for an unknown name.
 *
 * @example
 * ```ts
 * evmNetworkFromV1("base"); // "eip155:8453"
 * ```
 */
export function evmNetworkFromV1(network: string): `eip155:${number}` | undefined {
  const chainId = tryGetEvmChainIdV1(network);
  return chainId === undefined ? undefined : `eip155:${chainId}`;
}
