import { Keypair } from "@stellar/stellar-sdk";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { describe, expect, it } from "vitest";
import { ExactStellarScheme as ClientScheme } from "../src/exact/client/index.js";
import { ExactStellarScheme as FacilitatorScheme } from "../src/exact/facilitator/index.js";
import { ExactStellarScheme as ServerScheme } from "../src/exact/server/index.js";
import {
  convertToTokenAmount,
  createEd25519Signer,
  getNetworkPassphrase,
  getRpcUrl,
  getUsdcAddress,
  isStellarNetwork,
  ExactStellarReason as R,
  registerStellarNetwork,
  STELLAR_NETWORK_TO_PASSPHRASE,
  USDC_PUBNET_ADDRESS,
  validateStellarAssetAddress,
  validateStellarDestinationAddress,
} from "../src/index.js";

describe("network table", () => {
  it("knows pubnet and testnet; pubnet has no default RPC", () => {
    expect(getNetworkPassphrase("stellar:pubnet")).toBe("Public Global Stellar Network ; September 2015");
    expect(getRpcUrl("stellar:testnet")).toBe("https://soroban-testnet.stellar.org");
    expect(() => getRpcUrl("stellar:pubnet")).toThrow(/no default Soroban RPC/);
    expect(getRpcUrl("stellar:pubnet", { url: "https://rpc.example" })).toBe("https://rpc.example");
    expect(isStellarNetwork("stellar:standalone")).toBe(false);
  });

  it("takes a standalone network from the user", () => {
    registerStellarNetwork("stellar:standalone", {
      networkPassphrase: "Standalone Network ; February 2017",
      rpcUrl: "http://127.0.0.1:8000/soroban/rpc",
    });
    expect(isStellarNetwork("stellar:standalone")).toBe(true);
    expect(STELLAR_NETWORK_TO_PASSPHRASE.get("stellar:standalone")).toBe(
      "Standalone Network ; February 2017",
    );
    expect(() => getUsdcAddress("stellar:standalone")).toThrow(/no default asset/);
    expect(() => registerStellarNetwork("eip155:1", { networkPassphrase: "x" })).toThrow(
      /stellar:<reference>/,
    );
    expect(() => registerStellarNetwork("stellar:x", { networkPassphrase: "" })).toThrow(/passphrase/);
  });

  it("validates addresses", () => {
    expect(validateStellarAssetAddress(USDC_PUBNET_ADDRESS)).toBe(true);
    expect(validateStellarAssetAddress(Keypair.random().publicKey())).toBe(false);
    expect(validateStellarDestinationAddress(Keypair.random().publicKey())).toBe(true);
    expect(validateStellarDestinationAddress("0xabc")).toBe(false);
  });
});

describe("convertToTokenAmount", () => {
  it.each([
    ["0.1", 7, "1000000"],
    ["1.5", 7, "15000000"],
    ["1e-7", 7, "1"],
    ["1.5", 0, "1"],
    ["0.123456789", 7, "1234567"],
    ["12345678901234567890.1", 7, "123456789012345678901000000"],
  ])("%s at %i decimals → %s", (amount, decimals, atomic) => {
    expect(convertToTokenAmount(amount, decimals)).toBe(atomic);
  });
  it("refuses garbage", () => {
    expect(() => convertToTokenAmount("abc")).toThrow(/not a decimal/);
    expect(() => convertToTokenAmount("1", 21)).toThrow(/decimals/);
  });
});

describe("server scheme", () => {
  it("prices $0.01 in USDC at 7 decimals and copies areFeesSponsored", async () => {
    const scheme = new ServerScheme();
    expect(await scheme.parsePrice("$0.01", "stellar:pubnet")).toEqual({
      amount: "100000",
      asset: USDC_PUBNET_ADDRESS,
      extra: {},
    });
    await expect(
      scheme.parsePrice({ amount: "5", asset: "not-a-contract" }, "stellar:pubnet"),
    ).rejects.toThrow(/C… contract id/);
    await expect(scheme.parsePrice("$0.01", "stellar:nowhere")).rejects.toThrow(/no default asset/);
    const enhanced = scheme.enhancePaymentRequirements(
      { extra: {} } as PaymentRequirements,
      { x402Version: 2, scheme: "exact", network: "stellar:pubnet", extra: { areFeesSponsored: true } },
      [],
    );
    expect(enhanced.extra).toEqual({ areFeesSponsored: true });
  });
});

const requirements = {
  scheme: "exact",
  network: "stellar:testnet",
  amount: "100000",
  asset: USDC_PUBNET_ADDRESS,
  payTo: Keypair.random().publicKey(),
  maxTimeoutSeconds: 60,
  extra: { areFeesSponsored: true },
} as PaymentRequirements;

describe("client scheme", () => {
  it("refuses requirements it cannot pay before any RPC call", async () => {
    const client = new ClientScheme(createEd25519Signer(Keypair.random().secret()), {
      url: "http://127.0.0.1:9",
    });
    await expect(client.createPaymentPayload(2, { ...requirements, extra: {} })).rejects.toMatchObject({
      code: "invalid_payment_requirements",
    });
    await expect(client.createPaymentPayload(2, { ...requirements, amount: "0" })).rejects.toThrow(
      /positive/,
    );
    await expect(
      client.createPaymentPayload(2, { ...requirements, network: "stellar:moon" }),
    ).rejects.toThrow(/unknown Stellar network/);
  });
});

describe("facilitator offline refusals (no RPC reached)", () => {
  const facilitator = new FacilitatorScheme([createEd25519Signer(Keypair.random().secret())], {
    rpcConfig: { url: "http://127.0.0.1:9" },
  });
  const payment = (transaction: unknown, overrides: Record<string, unknown> = {}) =>
    ({
      x402Version: 2,
      accepted: requirements,
      payload: { transaction },
      ...overrides,
    }) as unknown as PaymentPayload;

  it.each([
    ["a v1 payload", payment("AAAA", { x402Version: 1 }), requirements, R.InvalidX402Version],
    ["another scheme", payment("AAAA"), { ...requirements, scheme: "upto" }, R.UnsupportedScheme],
    ["another network", payment("AAAA"), { ...requirements, network: "stellar:pubnet" }, R.NetworkMismatch],
    ["no transaction", payment(42), requirements, R.Malformed],
    ["garbage XDR", payment("bm90IHhkcg=="), requirements, R.Malformed],
  ])("%s", async (_name, paymentPayload, required, reason) => {
    const verdict = await facilitator.verify(paymentPayload, required as PaymentRequirements);
    expect(verdict).toMatchObject({ isValid: false, invalidReason: reason });
    const settled = await facilitator.settle(paymentPayload, required as PaymentRequirements);
    expect(settled).toMatchObject({ success: false, errorReason: reason, transaction: "" });
  });

  it("advertises sponsored fees and its signers", () => {
    expect(facilitator.getExtra("stellar:testnet")).toEqual({ areFeesSponsored: true });
    expect(facilitator.getSigners("stellar:testnet")).toHaveLength(1);
    expect(facilitator.caipFamily).toBe("stellar:*");
  });
});
