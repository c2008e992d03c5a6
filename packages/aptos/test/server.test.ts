import { Account, AccountAddress, ChainId, RawTransaction, SimpleTransaction } from "@aptos-labs/ts-sdk";
import type { PaymentRequirements } from "@x402kit/core";
import { describe, expect, it } from "vitest";
import { ExactAptosScheme } from "../src/exact/server/index.js";
import {
  DEFAULT_ASSETS,
  encodeAptosPayload,
  getAptosChainId,
  getAptosNetworkConfig,
  getAptosRpcUrl,
  getDefaultAsset,
  registerAptosNetwork,
  transferPayload,
  tryGetAptosChainId,
  USDC_MAINNET_FA,
  USDC_TESTNET_FA,
} from "../src/index.js";

describe("network table", () => {
  it("knows mainnet, testnet and local; any aptos:<1-255> parses", () => {
    expect(getAptosChainId("aptos:1")).toBe(1);
    expect(getAptosNetworkConfig("aptos:2")?.nodeUrl).toBe("https://api.testnet.aptoslabs.com/v1");
    expect(getAptosNetworkConfig("aptos:4")?.nodeUrl).toBe("http://127.0.0.1:8080/v1");
    expect(getAptosChainId("aptos:177")).toBe(177);
    for (const bad of ["aptos:0", "aptos:256", "aptos:01", "eip155:1", "aptos:", 4])
      expect(tryGetAptosChainId(bad)).toBeUndefined();
    expect(() => getAptosChainId("solana:x")).toThrow(/aptos:<chain id/);
    expect(getAptosRpcUrl("mainnet")).toBe("https://api.mainnet.aptoslabs.com/v1");
    expect(() => getAptosRpcUrl("aptos:123")).toThrow(/no node URL/);
  });

  it("is extendable: a local chain id gets a node URL and a default asset", async () => {
    const asset = `0x${"cd".repeat(32)}`;
    registerAptosNetwork({
      network: "aptos:99",
      chainId: 99,
      nodeUrl: "http://127.0.0.1:1/v1",
      assets: [{ asset, decimals: 6, symbol: "USDC" }],
    });
    expect(getDefaultAsset("aptos:99")?.asset).toBe(asset);
    expect(DEFAULT_ASSETS["aptos:99"]?.[0]?.asset).toBe(asset);
    expect(Object.keys(DEFAULT_ASSETS)).toEqual(expect.arrayContaining(["aptos:1", "aptos:2", "aptos:99"]));
    expect(Object.keys(DEFAULT_ASSETS)).not.toContain("aptos:4");
    expect(await new ExactAptosScheme().parsePrice("$0.25", "aptos:99")).toEqual({
      amount: "250000",
      asset,
      extra: {},
    });
    expect(() => registerAptosNetwork({ network: "aptos:98", chainId: 97 })).toThrow(/does not name/);
  });
});

describe("server scheme", () => {
  const scheme = new ExactAptosScheme();

  it("prices dollars in USDC per network, passes asset amounts through", async () => {
    expect(await scheme.parsePrice("$0.01", "aptos:1")).toEqual({
      amount: "10000",
      asset: USDC_MAINNET_FA,
      extra: {},
    });
    expect(await scheme.parsePrice(1.5, "aptos:2")).toEqual({
      amount: "1500000",
      asset: USDC_TESTNET_FA,
      extra: {},
    });
    const asset = `0x${"ab".repeat(32)}`;
    expect(await scheme.parsePrice({ amount: "7", asset }, "aptos:1")).toEqual({
      amount: "7",
      asset,
      extra: {},
    });
    await expect(scheme.parsePrice("$0.01", "aptos:200")).rejects.toMatchObject({ code: "invalid_price" });
    await expect(scheme.parsePrice({ amount: "7", asset: "0x1" }, "aptos:1")).rejects.toMatchObject({
      code: "invalid_price",
    });
    await expect(scheme.parsePrice("$0.0000001", "aptos:1")).rejects.toMatchObject({ code: "invalid_price" });
  });

  it("runs money parsers first", async () => {
    const asset = `0x${"ef".repeat(32)}`;
    const custom = new ExactAptosScheme().registerMoneyParser((amount) => ({
      amount: `${amount}`.replace(".", ""),
      asset,
    }));
    expect(await custom.parsePrice("$0.5", "aptos:1")).toEqual({ amount: "05", asset, extra: {} });
  });

  it("copies the facilitator's fee payer into extra", () => {
    const req = {
      scheme: "exact",
      network: "aptos:2",
      extra: { other: 1 },
    } as unknown as PaymentRequirements;
    const kind = { x402Version: 2, scheme: "exact", network: "aptos:2", extra: { feePayer: "0xfe" } };
    expect(scheme.enhancePaymentRequirements(req, kind).extra).toEqual({ other: 1, feePayer: "0xfe" });
    expect(scheme.enhancePaymentRequirements(req, { ...kind, extra: {} })).toBe(req);
  });

  it("compares addresses as hex, names payments by sender and sequence number", () => {
    expect(scheme.sameAddress("0x1", `0x${"0".repeat(63)}1`)).toBe(true);
    expect(scheme.sameAddress(`0x${"AB".repeat(32)}`, `0x${"ab".repeat(32)}`)).toBe(true);
    expect(scheme.sameAddress("0x1", "0x2")).toBe(false);
    expect(scheme.sameAddress("0x1", "nope")).toBe(false);
    const sender = Account.generate();
    const raw = new RawTransaction(
      sender.accountAddress,
      42n,
      transferPayload(USDC_TESTNET_FA, USDC_TESTNET_FA, 1n),
      1n,
      100n,
      1n,
      new ChainId(2),
    );
    const tx = new SimpleTransaction(raw, AccountAddress.ONE);
    const transaction = encodeAptosPayload(
      tx.bcsToBytes(),
      sender.signTransactionWithAuthenticator(tx).bcsToBytes(),
    );
    const accepted = { network: "aptos:2" } as PaymentRequirements;
    expect(scheme.paymentId({ x402Version: 2, accepted, payload: { transaction } })).toBe(
      `aptos:2:${sender.accountAddress.toStringLong()}:42`,
    );
    expect(scheme.paymentId({ x402Version: 2, accepted, payload: { transaction: "e30=" } })).toBeUndefined();
  });
});
