import { BaseError, type PublicClient } from "viem";
import { configError } from "../config/configError.js";
import { redactUrl } from "../config/redactUrl.js";

/**
 * Ask the RPC for its chain id and compare it with the configured network, so a
 * facilitator never signs for one chain while talking to another.
 *
 * @throws {X402Error} `invalid_facilitator_config` when the RPC is unreachable or on another chain.
 * @example
 * ```ts
 * await checkChainId(publicClient, "eip155:8453", rpcUrl);
 * ```
 */
export async function checkChainId(client: PublicClient, network: string, rpcUrl: string): Promise<void> {
  const field = `networks.${network}.rpcUrl`;
  const expected = Number(network.slice("eip155:".length));
  let actual: number;
  try {
    actual = await client.getChainId();
  } catch (error) {
    throw configError(
      field,
      `cannot reach ${redactUrl(rpcUrl)} (eth_chainId failed: ${shortReason(error, rpcUrl)})`,
    );
  }
  if (actual !== expected)
    throw configError(field, `the RPC at ${redactUrl(rpcUrl)} is on chain ${actual}, not ${expected}`);
}

/** viem messages list the request URL (which may hold an API key); keep the cause only. */
function shortReason(error: unknown, rpcUrl: string): string {
  const text =
    error instanceof BaseError
      ? [error.shortMessage, error.details].filter(Boolean).join(" ")
      : error instanceof Error
        ? error.message
        : String(error);
  return text.replaceAll(rpcUrl, redactUrl(rpcUrl)).slice(0, 300);
}
