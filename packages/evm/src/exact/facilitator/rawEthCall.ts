import { BaseError, RpcRequestError } from "viem";
import type { EvmCallResult } from "./signer.js";

/** What {@link rawEthCall} needs of a viem client: its EIP-1193 `request`. */
export interface EthCallClient {
  request(args: {
    method: "eth_call";
    params: [{ from: `0x${string}`; to: `0x${string}`; data: `0x${string}` }, "latest"];
  }): Promise<unknown>;
}

const HEX = /^0x[0-9a-fA-F]*$/;

/**
 * `eth_call` through the client's transport without viem's `call` action (which costs about as
 * much CPU again as the request itself: account parsing, request formatting, multicall and CCIP
 * checks), resolving a revert as `{ ok: false, revert }` (the node's message and revert data) and
 * rejecting only on transport or node failures.
 *
 * @example
 * ```ts
 * const result = await rawEthCall(publicClient, facilitator, asset, calldata);
 * ```
 */
export async function rawEthCall(
  client: EthCallClient,
  from: `0x${string}`,
  to: `0x${string}`,
  data: `0x${string}`,
): Promise<EvmCallResult> {
  try {
    const result = await client.request({ method: "eth_call", params: [{ from, to, data }, "latest"] });
    return {
      ok: true,
      data: typeof result === "string" && HEX.test(result) ? (result as `0x${string}`) : "0x",
    };
  } catch (error) {
    const rpc =
      error instanceof BaseError
        ? (error.walk((e) => e instanceof RpcRequestError) as RpcRequestError | null)
        : null;
    // Code 3 is "execution reverted" with data (geth, anvil, reth); some nodes answer -32000/-32015 with a message.
    if (!rpc || !(rpc.code === 3 || /revert/i.test(rpc.details))) throw error;
    const revertData = (rpc as { data?: unknown }).data;
    const withData = typeof revertData === "string" && HEX.test(revertData) && revertData !== "0x";
    return { ok: false, revert: withData ? `${rpc.details} — data: ${revertData}` : rpc.details };
  }
}
