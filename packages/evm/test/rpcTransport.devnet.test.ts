import { type Devnet, startDevnet } from "@x402kit/devnet";
import { createPublicClient, encodeFunctionData, erc20Abi, HttpRequestError } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keepAliveHttp, rawEthCall } from "../src/exact/facilitator/index.js";

let devnet: Devnet;

beforeAll(async () => {
  devnet = await startDevnet();
});

afterAll(async () => {
  await devnet?.stop();
});

describe("keepAliveHttp and rawEthCall on anvil", () => {
  it("answers calls, reverts with their data, and a dead RPC as viem's HttpRequestError", async () => {
    const client = createPublicClient({ chain: devnet.chain, transport: keepAliveHttp(devnet.rpcUrl) });
    expect(await client.getChainId()).toBe(devnet.chainId);
    const from = devnet.accounts.facilitator.address;
    const decimals = encodeFunctionData({ abi: erc20Abi, functionName: "decimals" });
    expect(await rawEthCall(client, from, devnet.usdc.address, decimals)).toEqual({
      ok: true,
      data: `0x${"6".padStart(64, "0")}`,
    });
    const tooMuch = encodeFunctionData({
      abi: erc20Abi,
      functionName: "transfer",
      args: [devnet.accounts.payTo.address, 10n ** 30n],
    });
    const reverted = await rawEthCall(client, from, devnet.usdc.address, tooMuch);
    expect(reverted.ok).toBe(false);
    expect(!reverted.ok && reverted.revert).toMatch(/exceeds balance — data: 0x08c379a0/);
    // Concurrent requests share the keep-alive sockets.
    const many = await Promise.all(Array.from({ length: 50 }, () => client.getBlockNumber({ cacheTime: 0 })));
    expect(many).toHaveLength(50);
    const dead = createPublicClient({ chain: devnet.chain, transport: keepAliveHttp("http://127.0.0.1:9/") });
    await expect(dead.getChainId()).rejects.toBeInstanceOf(HttpRequestError);
  });
});
