import { X402Error } from "@x402kit/core";

const EVM_NETWORK = /^eip155:(\d+)$/;

/**
 * The chain id of a CAIP-2 EVM network id. Strict: only `eip155:<decimal>` with a safe
 * integer chain id is accepted, because the id goes into every EIP-712 domain we sign.
 *
 * @throws {X402Error} `invalid_network` for anything else.
 * @example
 * ```ts
 * parseEvmNetwork("eip155:8453"); // 8453
 * ```
 */
export function parseEvmNetwork(network: string): number {
  const chainId = tryParseEvmNetwork(network);
  if (chainId === undefined)
    throw new X402Error("invalid_network", `"${network}" is not an eip155:<chainId> network`);
  return chainId;
}

/**
 * Like {@link parseEvmNetwork} but returns `undefined` instead of throwing.
 *
 * @example
 * ```ts
 * tryParseEvmNetwork("solana:abc"); // undefined
 * ```
 */
export function tryParseEvmNetwork(network: unknown): number | undefined {
  if (typeof network !== "string") return undefined;
  const match = EVM_NETWORK.exec(network);
  if (!match) return undefined;
  const chainId = Number(match[1]);
  return Number.isSafeInteger(chainId) && chainId > 0 ? chainId : undefined;
}

/**
 * The CAIP-2 id of an EVM chain id.
 *
 * @example
 * ```ts
 * toEvmNetwork(84532); // "eip155:84532"
 * ```
 */
export function toEvmNetwork(chainId: number): `eip155:${number}` {
  return `eip155:${chainId}`;
}
