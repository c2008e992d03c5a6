import {
  atomicToDecimal,
  describeError,
  explainMismatch,
  findMatchingRequirements,
  isX402Error,
  moneyToAtomic,
  type PaymentRequirements,
  SchemeRegistry,
} from "@x402kit/core";
import {
  decodeHeaderJson,
  decodePaymentSignatureHeader,
  decodeXPaymentHeader,
  encodeBase64,
  encodeHeaderJson,
} from "@x402kit/core/http";
import { describe, expect, it } from "vitest";

const requirements: PaymentRequirements = {
  scheme: "exact",
  network: "eip155:8453",
  amount: "10000",
  asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
  payTo: "0x1111111111111111111111111111111111111111",
  maxTimeoutSeconds: 300,
  extra: { name: "USD Coin", version: "2" },
};

describe("header codecs", () => {
  it("round-trips UTF-8 JSON through standard base64", () => {
    const value = { text: "USD₮0 – ü", n: 2 };
    const header = encodeHeaderJson(value);
    expect(header).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decodeHeaderJson(header)).toEqual(value);
  });

  it.each([
    ["base64url alphabet", "eyJh-_"],
    ["whitespace inside", "eyJ hIjoxfQ=="],
    ["bad padding", "eyJhIjoxfQ="],
    ["not JSON", encodeBase64("{not json")],
  ])("rejects %s with invalid_payload / 400", (_label, value) => {
    try {
      decodeHeaderJson(value);
      expect.unreachable();
    } catch (error) {
      expect(isX402Error(error, "invalid_payload")).toBe(true);
      expect((error as { status: number }).status).toBe(400);
    }
  });

  it("validates a PAYMENT-SIGNATURE and tolerates null optionals and unknown fields", () => {
    const payload = {
      x402Version: 2,
      resource: null,
      accepted: { ...requirements, extra: null },
      payload: { a: 1 },
      extensions: null,
      future: true,
    };
    const decoded = decodePaymentSignatureHeader(encodeHeaderJson(payload));
    expect(decoded.accepted.amount).toBe("10000");
    expect((decoded as Record<string, unknown>).future).toBe(true);
  });

  it("reads a v1 X-PAYMENT payload", () => {
    const v1 = { x402Version: 1, scheme: "exact", network: "base-sepolia", payload: { signature: "0x" } };
    expect(decodeXPaymentHeader(encodeHeaderJson(v1))).toEqual(v1);
    expect(() => decodeXPaymentHeader(encodeHeaderJson({ ...v1, x402Version: 2 }))).toThrow(/x402Version/);
  });

  it("names the offending field of an invalid payload", () => {
    const bad = { x402Version: 2, accepted: { ...requirements, amount: 10000 }, payload: {} };
    expect(() => decodePaymentSignatureHeader(encodeHeaderJson(bad))).toThrow(/accepted\.amount/);
    const v1 = { x402Version: 1, accepted: requirements, payload: {} };
    expect(() => decodePaymentSignatureHeader(encodeHeaderJson(v1))).toThrow(/x402Version/);
  });
});

describe("money", () => {
  it.each([
    ["$0.01", 6, "10000"],
    ["0.01", 6, "10000"],
    [0.1, 6, "100000"],
    ["1.50", 6, "1500000"],
    ["$1,000".replace(",", ""), 6, "1000000000"],
    [1e-7, 7, "1"],
    ["0.000001", 18, "1000000000000"],
  ])("%s with %i decimals is %s atomic", (money, decimals, atomic) => {
    expect(moneyToAtomic(money, decimals)).toBe(atomic);
  });

  it.each(["-1", "1e-3", "abc", "$", "0", "0.0000001"])("rejects %s", (money) => {
    expect(() => moneyToAtomic(money, 6)).toThrow(expect.objectContaining({ code: "invalid_price" }));
  });

  it("formats atomic amounts", () => {
    expect(atomicToDecimal("10000", 6)).toBe("0.01");
    expect(atomicToDecimal(1_500_000n, 6)).toBe("1.5");
    expect(atomicToDecimal("0", 6)).toBe("0");
  });
});

describe("scheme registry", () => {
  const impl = (scheme: string, tag: string) => ({ scheme, tag });

  it("prefers exact networks over namespace patterns over *", () => {
    const registry = new SchemeRegistry<{ scheme: string; tag: string }>()
      .add(2, "*", impl("exact", "any"))
      .add(2, "eip155:*", impl("exact", "evm"))
      .add(2, "eip155:8453", impl("exact", "base"));
    expect(registry.find(2, "eip155:8453", "exact")?.tag).toBe("base");
    expect(registry.find(2, "eip155:1", "exact")?.tag).toBe("evm");
    expect(registry.find(2, "solana:abc", "exact")?.tag).toBe("any");
    expect(registry.find(1, "eip155:1", "exact")).toBeUndefined();
    expect(registry.find(2, "eip155:1", "upto")).toBeUndefined();
  });

  it("keeps the first registration and rejects malformed patterns", () => {
    const registry = new SchemeRegistry<{ scheme: string; tag: string }>()
      .add(2, "eip155:*", impl("exact", "first"))
      .add(2, "eip155:*", impl("exact", "second"));
    expect(registry.find(2, "eip155:10", "exact")?.tag).toBe("first");
    expect(() => registry.add(2, "eip155", impl("exact", "x"))).toThrow(/CAIP-2/);
    expect(() => registry.add(2, "eip155:8*", impl("exact", "x"))).toThrow(/CAIP-2/);
  });
});

describe("requirement matching", () => {
  it("matches equal core fields and tolerates additive client extra keys", () => {
    expect(
      findMatchingRequirements([requirements], {
        ...requirements,
        extra: { ...requirements.extra, more: 1 },
      }),
    ).toBe(requirements);
  });

  it("rejects changed core fields or dropped server extra keys", () => {
    expect(findMatchingRequirements([requirements], { ...requirements, amount: "1" })).toBeUndefined();
    expect(
      findMatchingRequirements([requirements], { ...requirements, extra: { name: "USD Coin" } }),
    ).toBeUndefined();
  });

  it("explains a mismatch with a wire reason", () => {
    expect(explainMismatch([requirements], { ...requirements, scheme: "upto" }).reason).toBe(
      "unsupported_scheme",
    );
    expect(explainMismatch([requirements], { ...requirements, network: "eip155:1" }).reason).toBe(
      "invalid_network",
    );
    const amount = explainMismatch([requirements], { ...requirements, amount: "1" });
    expect(amount).toEqual({
      reason: "invalid_payment_requirements",
      message: expect.stringContaining("accepted.amount"),
    });
  });
});

describe("describeError", () => {
  it("prefers a short message, so RPC URLs in full messages do not leak", () => {
    const error = Object.assign(new Error("HTTP request failed.\n\nURL: https://rpc.example/v2/SECRET"), {
      shortMessage: "HTTP request failed.",
    });
    expect(describeError(error)).toBe("HTTP request failed.");
    expect(describeError(new Error("plain"))).toBe("plain");
    expect(describeError("x".repeat(600))).toHaveLength(501);
  });
});
