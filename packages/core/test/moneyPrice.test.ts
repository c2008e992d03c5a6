import { type AssetAmount, isX402Error } from "@x402kit/core";
import { MoneyPriceParser, type MoneyPriceRules } from "@x402kit/core/server";
import { describe, expect, it } from "vitest";

const rules: MoneyPriceRules = {
  checkAssetAmount: (price: AssetAmount) => {
    if (!/^\d+$/.test(String(price.amount))) throw new Error("checked: bad amount");
    return { amount: String(price.amount), asset: price.asset.toLowerCase() };
  },
  defaultAsset: (network) =>
    network === "test:1" ? { asset: "usd", decimals: 6, extra: { name: "USD" } } : undefined,
  noDefaultAsset: (network) => `nothing on ${network}`,
};

describe("MoneyPriceParser (server-side pricing shared by the chains)", () => {
  it("converts USD prices to atomic units of the default asset with its extra", async () => {
    const prices = new MoneyPriceParser(rules);
    for (const price of ["$0.01", " 0.01 ", 0.01, "$ 0.010"])
      expect(await prices.parsePrice(price, "test:1")).toEqual({
        amount: "10000",
        asset: "usd",
        extra: { name: "USD" },
      });
    expect(await prices.parsePrice(1e-6, "test:1")).toMatchObject({ amount: "1" });
  });

  it("leaves extra out when the default asset has none", async () => {
    const prices = new MoneyPriceParser({ ...rules, defaultAsset: () => ({ asset: "usd", decimals: 2 }) });
    expect(await prices.parsePrice("1.5", "test:9")).toStrictEqual({ amount: "150", asset: "usd" });
  });

  it("asks the parsers in order with the plain decimal string, and checks their answer", async () => {
    const prices = new MoneyPriceParser(rules);
    const seen: unknown[] = [];
    prices.registerMoneyParser((amount) => {
      seen.push(amount);
      return null;
    });
    prices.registerMoneyParser(async (amount, network) =>
      network === "test:2" ? { amount: `${amount}`.replace("0.0", ""), asset: "CENT" } : undefined,
    );
    expect(await prices.parsePrice(" $0.07 ", "test:2")).toEqual({ amount: "7", asset: "cent" });
    expect(await prices.parsePrice(0.01, "test:1")).toMatchObject({ amount: "10000", asset: "usd" });
    expect(seen).toEqual(["0.07", "0.01"]);
    prices.registerMoneyParser(() => ({ amount: "1.5", asset: "x" }));
    await expect(prices.parsePrice("1", "test:3")).rejects.toThrow("checked: bad amount");
  });

  it("checks asset amounts given as the price", async () => {
    const prices = new MoneyPriceParser(rules);
    expect(await prices.parsePrice({ amount: "5", asset: "ABC" }, "test:9")).toEqual({
      amount: "5",
      asset: "abc",
    });
    await expect(prices.parsePrice({ amount: "-5", asset: "ABC" }, "test:1")).rejects.toThrow("checked");
  });

  it("answers invalid_price for USD on a network without a default asset, and for bad amounts", async () => {
    const prices = new MoneyPriceParser(rules);
    for (const [price, message] of [
      ["$0.01", "nothing on test:9"],
      ["-1", "not a decimal"],
      ["0.0000001", "more than 6 decimals"],
    ] as const) {
      const error = await prices.parsePrice(price, price === "$0.01" ? "test:9" : "test:1").catch((e) => e);
      expect(isX402Error(error) && error.code).toBe("invalid_price");
      expect(error.message).toContain(message);
    }
  });
});
