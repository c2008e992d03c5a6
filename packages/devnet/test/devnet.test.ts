import { encodeFunctionData, getAddress, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCOUNT_ROLES,
  DEFAULT_FUNDING_AMOUNT,
  type Devnet,
  MULTICALL3_ADDRESS,
  multicall3Abi,
  startDevnet,
  testUsdcAbi,
} from "../src/index.js";
import { isPortOpen, isRunning, randomNonce } from "./helpers.js";

const EXTRA = getAddress("0x209693Bc6afc0C5328bA36FaF03C514EF312287C");

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({ fund: [{ address: EXTRA, amount: 42n }] });
});
afterAll(async () => {
  await devnet?.stop();
});

describe("startDevnet", () => {
  it("describes the chain and the token", async () => {
    expect(devnet.chainId).toBe(31337);
    expect(devnet.network).toBe("eip155:31337");
    expect(await devnet.publicClient.getChainId()).toBe(31337);
    expect(devnet.chain.id).toBe(31337);
    expect(devnet.rpcUrl).toBe(`http://127.0.0.1:${devnet.port}`);
    expect(devnet.usdc).toEqual({
      address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      name: "USD Coin",
      symbol: "USDC",
      version: "2",
      decimals: 6,
      domain: { name: "USD Coin", version: "2", chainId: 31337, verifyingContract: devnet.usdc.address },
    });
  });

  it("maps the documented roles onto anvil's accounts", () => {
    for (const [role, index] of Object.entries(ACCOUNT_ROLES)) {
      expect(devnet.accounts[role as keyof typeof ACCOUNT_ROLES]).toEqual(devnet.allAccounts[index]);
    }
    expect(devnet.accounts.deployer.address).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(devnet.accounts.payer.address).toBe("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    expect(devnet.allAccounts).toHaveLength(10);
  });

  it("funds accounts 1..4 with 1000 USDC plus the extra grants", async () => {
    const { deployer, facilitator, payer, payTo, other } = devnet.accounts;
    expect(await devnet.balanceOf(deployer.address)).toBe(0n);
    for (const account of [facilitator, payer, payTo, other]) {
      expect(await devnet.balanceOf(account.address)).toBe(DEFAULT_FUNDING_AMOUNT);
    }
    expect(await devnet.balanceOf(EXTRA)).toBe(42n);
    await devnet.mint(EXTRA, 8n);
    expect(await devnet.balanceOf(EXTRA)).toBe(50n);
  });
});

describe("Multicall3 at the canonical address", () => {
  const usdcCall = (
    functionName: "balanceOf" | "name" | "authorizationState",
    args: readonly unknown[] = [],
  ) => ({
    target: devnet.usdc.address,
    callData: encodeFunctionData({ abi: testUsdcAbi, functionName, args } as never),
  });
  // A call that reverts: transferWithAuthorization with a garbage signature.
  const failingCall = () => ({
    target: devnet.usdc.address,
    callData: encodeFunctionData({
      abi: testUsdcAbi,
      functionName: "transferWithAuthorization",
      args: [zeroAddress, zeroAddress, 1n, 0n, 2n ** 40n, randomNonce(), "0x"],
    }),
  });

  it("has code there", async () => {
    expect(devnet.multicall3).toBe(MULTICALL3_ADDRESS);
    expect((await devnet.publicClient.getCode({ address: MULTICALL3_ADDRESS }))?.length).toBeGreaterThan(100);
  });

  it("tryAggregate(false, ...) reports per-call success, like the facilitator's diagnosis needs", async () => {
    const payer = devnet.accounts.payer.address;
    // The Multicall3 functions are payable, so viem calls them via simulateContract (an eth_call).
    const { result: results } = await devnet.publicClient.simulateContract({
      address: MULTICALL3_ADDRESS,
      abi: multicall3Abi,
      functionName: "tryAggregate",
      args: [
        false,
        [
          usdcCall("balanceOf", [payer]),
          usdcCall("name"),
          usdcCall("authorizationState", [payer, randomNonce()]),
          failingCall(),
        ],
      ],
    });
    expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
    expect(BigInt(results[0]!.returnData)).toBe(await devnet.balanceOf(payer));
    expect(BigInt(results[2]!.returnData)).toBe(0n);
  });

  it("tryAggregate(true, ...) and aggregate revert when a call fails", async () => {
    const call = (functionName: "tryAggregate" | "aggregate", args: readonly unknown[]) =>
      devnet.publicClient.readContract({
        address: MULTICALL3_ADDRESS,
        abi: multicall3Abi,
        functionName,
        args,
      } as never);
    await expect(call("tryAggregate", [true, [usdcCall("name"), failingCall()]])).rejects.toThrow(
      /Multicall3: call failed/,
    );
    await expect(call("aggregate", [[usdcCall("name"), failingCall()]])).rejects.toThrow(
      /Multicall3: call failed/,
    );
    const [blockNumber, data] = (await call("aggregate", [[usdcCall("name")]])) as [bigint, string[]];
    // cacheTime 0: viem otherwise answers a block number cached for its polling interval.
    expect(blockNumber).toBe(await devnet.publicClient.getBlockNumber({ cacheTime: 0 }));
    expect(data).toHaveLength(1);
  });

  it("serves viem's multicall (aggregate3) through the chain definition", async () => {
    const contract = { address: devnet.usdc.address, abi: testUsdcAbi } as const;
    const [name, decimals, failed] = await devnet.publicClient.multicall({
      contracts: [
        { ...contract, functionName: "name" },
        { ...contract, functionName: "decimals" },
        { ...contract, functionName: "transferFrom", args: [EXTRA, EXTRA, 10n ** 18n] },
      ],
    });
    expect(name).toEqual({ status: "success", result: "USD Coin" });
    expect(decimals).toEqual({ status: "success", result: 6 });
    expect(failed?.status).toBe("failure");
  });
});

describe("lifecycle", () => {
  it("runs two devnets at once, independently, and stop() really ends each", async () => {
    const [a, b] = await Promise.all([startDevnet({ fundDefaultAccounts: false }), startDevnet()]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.usdc.address).toBe(b.usdc.address); // same deployer, same nonce
      expect(await a.balanceOf(a.accounts.payer.address)).toBe(0n);
      expect(await b.balanceOf(b.accounts.payer.address)).toBe(DEFAULT_FUNDING_AMOUNT);
    } finally {
      await a.stop();
    }
    expect(await isPortOpen(a.port)).toBe(false);
    expect(isRunning(a.anvil.pid)).toBe(false);
    expect(await isPortOpen(b.port)).toBe(true);
    await b.stop();
    await b.stop(); // idempotent
    expect(await isPortOpen(b.port)).toBe(false);
    expect(isRunning(b.anvil.pid)).toBe(false);
    // anvil shuts down cleanly on SIGTERM.
    expect(await b.anvil.exited).toEqual({ code: 0, signal: null });
  });
});
