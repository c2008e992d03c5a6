import { encodeFunctionData, getAddress, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCOUNT_ROLES,
  DEFAULT_FUNDING_AMOUNT,
  type Devnet,
  devnetEip3009TokenAbi,
  MULTICALL3_ADDRESS,
  multicall3Abi,
  SMART_WALLET_FACTORY_ADDRESS,
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

describe("the extra tokens and the placed contracts", () => {
  it("deploys the Permit2-only and the 18-decimals token at fixed addresses, with what they claim", async () => {
    const { permit2Usd, usd18, usdc } = devnet.tokens;
    expect(usdc).toMatchObject({ address: devnet.usdc.address, decimals: 6, eip3009: true, eip2612: true });
    expect(permit2Usd).toMatchObject({
      address: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      name: "Permit2 USD",
      symbol: "PUSD",
      version: "1",
      decimals: 6,
      eip3009: false,
      eip2612: true,
    });
    expect(usd18).toMatchObject({
      address: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
      name: "USD Eighteen",
      decimals: 18,
      eip3009: true,
    });
    for (const token of [permit2Usd, usd18]) {
      const read = (functionName: "name" | "decimals" | "version") =>
        devnet.publicClient.readContract({
          address: token.address,
          abi: devnetEip3009TokenAbi,
          functionName,
        });
      expect(await read("name")).toBe(token.name);
      expect(await read("version")).toBe(token.version);
      expect(await read("decimals")).toBe(token.decimals);
      const [, name, version, chainId, verifyingContract] = await devnet.publicClient.readContract({
        address: token.address,
        abi: devnetEip3009TokenAbi,
        functionName: "eip712Domain",
      });
      expect({ name, version, chainId: Number(chainId), verifyingContract }).toEqual(token.domain);
    }
    // No EIP-3009 on the Permit2-only token: the call the official diagnosis makes fails.
    await expect(
      devnet.publicClient.readContract({
        address: permit2Usd.address,
        abi: devnetEip3009TokenAbi,
        functionName: "authorizationState",
        args: [zeroAddress, randomNonce()],
      }),
    ).rejects.toThrow();
  });

  it("funds accounts 1..4 with 1000 of each token; mint and balanceOf take a token", async () => {
    const { permit2Usd, usd18 } = devnet.tokens;
    const { deployer, payer, other } = devnet.accounts;
    expect(await devnet.balanceOf(payer.address, permit2Usd.address)).toBe(1000n * 10n ** 6n);
    expect(await devnet.balanceOf(other.address, usd18.address)).toBe(1000n * 10n ** 18n);
    expect(await devnet.balanceOf(deployer.address, usd18.address)).toBe(0n);
    // Concurrent mints from the deployer do not collide (its nonces are counted locally).
    await Promise.all([1n, 2n, 3n].map((n) => devnet.mint(EXTRA, n, usd18.address)));
    expect(await devnet.balanceOf(EXTRA, usd18.address)).toBe(6n);
    // A transaction the deployer sends through another client does not make the next mint reuse its nonce.
    const hash = await devnet.walletClient(deployer).sendTransaction({ to: EXTRA, value: 1n });
    await devnet.publicClient.waitForTransactionReceipt({ hash });
    await devnet.mint(EXTRA, 4n, usd18.address);
    expect(await devnet.balanceOf(EXTRA, usd18.address)).toBe(10n);
  });

  it("places Permit2, both x402 proxies and the smart-wallet factory at their addresses", async () => {
    expect(devnet.contracts).toEqual({
      multicall3: MULTICALL3_ADDRESS,
      permit2: "0x000000000022D473030F116dDEE9F6B43aC78BA3",
      x402ExactPermit2Proxy: "0x402085c248EeA27D92E8b30b2C58ed07f9E20001",
      x402UptoPermit2Proxy: "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002",
      smartWalletFactory: SMART_WALLET_FACTORY_ADDRESS,
    });
    for (const address of Object.values(devnet.contracts)) {
      expect((await devnet.publicClient.getCode({ address }))?.length ?? 0).toBeGreaterThan(2);
    }
  });

  it("fund grants any of the tokens", async () => {
    const other = await startDevnet({
      fundDefaultAccounts: false,
      fund: [
        { address: EXTRA, amount: 7n, token: "permit2Usd" },
        { address: EXTRA, token: "usd18" },
      ],
    });
    try {
      expect(await other.balanceOf(devnet.accounts.payer.address)).toBe(0n);
      expect(await other.balanceOf(EXTRA, other.tokens.permit2Usd.address)).toBe(7n);
      expect(await other.balanceOf(EXTRA, other.tokens.usd18.address)).toBe(1000n * 10n ** 18n);
    } finally {
      await other.stop();
    }
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
