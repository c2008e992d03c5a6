import { isX402Error, type PaymentPayload } from "@x402kit/core";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { x402ResourceServer } from "@x402kit/core/server";
import { describe, expect, it } from "vitest";
import { ExactEvmScheme, registerExactEvmScheme } from "../src/exact/server/index.js";

const BASE_USDC = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";

describe("ExactEvmScheme.parsePrice", () => {
  const server = new ExactEvmScheme();

  it.each([
    ["$0.01", "10000"],
    ["0.01", "10000"],
    [0.01, "10000"],
    ["$1.5", "1500000"],
    [" $2 ", "2000000"],
    [0.000001, "1"],
  ])("prices %j on Base as %s atomic USDC", async (price, amount) => {
    expect(await server.parsePrice(price, "eip155:8453")).toEqual({
      amount,
      asset: BASE_USDC,
      extra: { name: "USD Coin", version: "2" },
    });
  });

  it("uses the Base Sepolia domain name USDC", async () => {
    const parsed = await server.parsePrice("$0.01", "eip155:84532");
    expect(parsed).toEqual({
      amount: "10000",
      asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
      extra: { name: "USDC", version: "2" },
    });
  });

  it.each(["eip155:31337", "eip155:999999"])("rejects Money on %s (no default asset)", async (network) => {
    const error = await server.parsePrice("$0.01", network as `eip155:${string}`).catch((e: unknown) => e);
    expect(isX402Error(error, "invalid_price")).toBe(true);
    expect((error as Error).message).toMatch(/asset amount/);
  });

  it.each(["$0.0000001", "abc", "-1", "1e-3", "$0"])("rejects malformed money %j", async (price) => {
    const error = await server.parsePrice(price, "eip155:8453").catch((e: unknown) => e);
    expect(isX402Error(error, "invalid_price")).toBe(true);
  });

  it("passes asset amounts through and keeps their extra", async () => {
    const price = { amount: "42", asset: "0x1111111111111111111111111111111111111111", extra: { foo: 1 } };
    expect(await server.parsePrice(price, "eip155:31337")).toEqual(price);
  });

  it("fills name/version of a known default asset without overriding given ones", async () => {
    expect(await server.parsePrice({ amount: "7", asset: BASE_USDC }, "eip155:8453")).toEqual({
      amount: "7",
      asset: BASE_USDC,
      extra: { name: "USD Coin", version: "2" },
    });
    const custom = await server.parsePrice(
      { amount: "7", asset: BASE_USDC, extra: { name: "X" } },
      "eip155:8453",
    );
    expect(custom.extra).toEqual({ name: "X", version: "2" });
  });

  it("rejects an asset amount with a non-atomic amount", async () => {
    const error = await server
      .parsePrice({ amount: "1.5", asset: BASE_USDC }, "eip155:8453")
      .catch((e: unknown) => e);
    expect(isX402Error(error, "invalid_price")).toBe(true);
  });

  it("runs money parsers first, in order, falling through on null", async () => {
    const seen: string[] = [];
    const withParsers = new ExactEvmScheme()
      .registerMoneyParser((amount, network) => {
        seen.push(`${amount}@${network}`);
        return null;
      })
      .registerMoneyParser(async (amount, network) =>
        network === "eip155:31337" ? { amount: String(Number(amount) * 100), asset: "0xabc" } : null,
      );
    expect(await withParsers.parsePrice("$0.5", "eip155:31337")).toEqual({
      amount: "50",
      asset: "0xabc",
      extra: {},
    });
    expect((await withParsers.parsePrice(0.5, "eip155:8453")).amount).toBe("500000");
    expect(seen).toEqual(["0.5@eip155:31337", "0.5@eip155:8453"]);
  });
});

describe("ExactEvmScheme helpers", () => {
  const server = new ExactEvmScheme();

  it("knows the decimals of default assets only", () => {
    expect(server.getAssetDecimals(BASE_USDC.toLowerCase(), "eip155:8453")).toBe(6);
    expect(server.getAssetDecimals(BASE_USDC, "eip155:84532")).toBeUndefined();
  });

  it("derives a lowercase payment id from network, asset, payer and nonce", () => {
    const payload = {
      x402Version: 2,
      accepted: {
        scheme: "exact",
        network: "eip155:8453",
        asset: BASE_USDC,
        amount: "1",
        payTo: BASE_USDC,
        maxTimeoutSeconds: 60,
      },
      payload: {
        signature: "0x12",
        authorization: {
          from: "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
          to: BASE_USDC,
          value: "1",
          validAfter: "0",
          validBefore: "1900000000",
          nonce: `0x${"AB".repeat(32)}`,
        },
      },
    } as unknown as PaymentPayload;
    expect(server.paymentId(payload)).toBe(
      `eip155:8453:${BASE_USDC.toLowerCase()}:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266:0x${"ab".repeat(32)}`,
    );
  });

  it("has no payment id for other payload shapes", () => {
    const accepted = { scheme: "exact", network: "eip155:8453", asset: BASE_USDC };
    for (const payload of [
      { transaction: "AAAA" },
      { signature: "0x12", authorization: { from: "0x1" } },
      {},
      null,
    ])
      expect(
        server.paymentId({ x402Version: 2, accepted, payload } as unknown as PaymentPayload),
      ).toBeUndefined();
    expect(server.paymentId({} as PaymentPayload)).toBeUndefined();
  });

  it("compares addresses case-insensitively (checksummed or not)", () => {
    expect(server.sameAddress(BASE_USDC, BASE_USDC.toLowerCase())).toBe(true);
    expect(server.sameAddress(BASE_USDC, "0x036CbD53842c5426634e7929541eC2318f3dCF7e")).toBe(false);
  });

  it("matches a lower-cased echo of a checksummed offer through the resource server", async () => {
    const engine = registerExactEvmScheme(new x402ResourceServer(new x402Facilitator()));
    const offer = {
      scheme: "exact",
      network: "eip155:8453",
      amount: "1",
      asset: BASE_USDC,
      payTo: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      maxTimeoutSeconds: 60,
      extra: { name: "USD Coin", version: "2" },
    };
    const echo = { ...offer, asset: offer.asset.toLowerCase(), payTo: offer.payTo.toLowerCase() };
    expect(engine.findMatchingRequirements([offer], { x402Version: 2, accepted: echo, payload: {} })).toBe(
      offer,
    );
    const other = { ...echo, payTo: "0x0000000000000000000000000000000000000001" };
    expect(
      engine.findMatchingRequirements([offer], { x402Version: 2, accepted: other, payload: {} }),
    ).toBeUndefined();
  });

  it("registers on eip155:* by default", () => {
    const calls: string[] = [];
    const engine = { register: (network: string) => calls.push(network) };
    expect(registerExactEvmScheme(engine)).toBe(engine);
    registerExactEvmScheme(engine, { networks: ["eip155:8453", "eip155:84532"] });
    expect(calls).toEqual(["eip155:*", "eip155:8453", "eip155:84532"]);
  });
});
