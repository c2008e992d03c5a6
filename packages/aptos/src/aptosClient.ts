import { Aptos, AptosConfig } from "@aptos-labs/ts-sdk";
import { getAptosNetwork, getAptosRpcUrl } from "./networks.js";

/**
 * An SDK client for a CAIP-2 network, on `rpcUrl` or the network table's node URL.
 *
 * @throws {X402Error} `invalid_network` for a non-Aptos id or a network without a known URL.
 * @example
 * ```ts
 * const aptos = createAptosClient("aptos:4", "http://127.0.0.1:8080/v1");
 * ```
 */
export function createAptosClient(network: string, rpcUrl?: string): Aptos {
  const fullnode = rpcUrl ?? getAptosRpcUrl(network);
  return new Aptos(new AptosConfig({ network: getAptosNetwork(network), fullnode }));
}
