import { X402Error } from "@x402kit/core";
import {
  SOLANA_DEVNET_CAIP2,
  SOLANA_MAINNET_CAIP2,
  SOLANA_TESTNET_CAIP2,
  SVM_ADDRESS_REGEX,
  V1_TO_V2_NETWORK_MAP,
} from "./constants.js";
import { base58ToBytes } from "./encoding.js";

const KNOWN = new Set([SOLANA_MAINNET_CAIP2, SOLANA_DEVNET_CAIP2, SOLANA_TESTNET_CAIP2]);

/**
 * The CAIP-2 id of a Solana network: a v1 name (`solana-devnet`) is mapped, a CAIP-2 id of
 * one of the three public clusters passes. Like the official function, anything else throws
 * (a local chain is labelled with devnet's id).
 *
 * @throws {X402Error} `invalid_network` for any other network.
 * @example
 * ```ts
 * normalizeNetwork("solana-devnet"); // "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
 * ```
 */
export function normalizeNetwork(network: string): string {
  const mapped = tryNormalizeNetwork(network);
  if (!mapped) throw new X402Error("invalid_network", `"${network}" is not a Solana cluster network`);
  return mapped;
}

/**
 * Like {@link normalizeNetwork}, `undefined` instead of a throw.
 *
 * @example
 * ```ts
 * tryNormalizeNetwork("eip155:1"); // undefined
 * ```
 */
export function tryNormalizeNetwork(network: unknown): string | undefined {
  if (typeof network !== "string") return undefined;
  const mapped = V1_TO_V2_NETWORK_MAP[network] ?? network;
  return KNOWN.has(mapped) ? mapped : undefined;
}

/**
 * True for a base58 string that decodes to 32 bytes (a Solana address).
 *
 * @example
 * ```ts
 * validateSvmAddress("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"); // true
 * ```
 */
export function validateSvmAddress(address: string): boolean {
  if (typeof address !== "string" || !SVM_ADDRESS_REGEX.test(address)) return false;
  try {
    return base58ToBytes(address).length === 32;
  } catch {
    return false;
  }
}
