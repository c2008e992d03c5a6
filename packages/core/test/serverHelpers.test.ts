import type { SupportedKind } from "@x402kit/core";
import { x402Facilitator } from "@x402kit/core/facilitator";
import {
  assertAcceptsAdditiveExtraAfterSchemeEnrich,
  assertAcceptsAllowlistedAfterExtensionEnrich,
  assertAdditivePayloadEnrichment,
  assertAdditiveSettlementExtra,
  assertSettleResponseCoreUnchanged,
  checkIfBazaarNeeded,
  FacilitatorCapabilityError,
  FacilitatorResponseError,
  getFacilitatorResponseError,
  HTTPFacilitatorClient,
  isFatalStartupInitError,
  isVacantStringField,
  RouteConfigurationError,
  resolveSettlementOverrideAmount,
  snapshotPaymentRequirementsList,
  snapshotSettleResponseCore,
  withPrivateCacheControl,
  x402ResourceServer,
} from "@x402kit/core/server";
import {
  convertToTokenAmount,
  deepEqual,
  findByNetworkAndScheme,
  findFacilitatorBySchemeAndNetwork,
  numberToDecimalString,
  parseMoney,
  safeBase64Decode,
  safeBase64Encode,
  toComparableArray,
} from "@x402kit/core/utils";
import { describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerFacilitator, LedgerServer } from "./ledgerScheme.js";

describe("core/utils (official helper names)", () => {
  it.each([
    ["0.10", 6, "100000"],
    ["1", 0, "1"],
    ["0.0000001", 6, "0"],
    ["12.345678912", 6, "12345678"],
  ])("convertToTokenAmount(%s, %i) = %s (truncates, never rounds up)", (amount, decimals, atomic) => {
    expect(convertToTokenAmount(amount, decimals)).toBe(atomic);
  });

  it("rejects what is not a plain decimal", () => {
    for (const bad of ["1e-7", "-1", "$1", ""]) expect(() => convertToTokenAmount(bad, 6)).toThrow(/decimal/);
  });

  it("parses money with tickers and numbers without scientific notation", () => {
    expect(parseMoney("$1.50")).toEqual({ amount: "1.50" });
    expect(parseMoney("1.50 usdt")).toEqual({ amount: "1.50", symbol: "USDT" });
    expect(parseMoney("2 USD")).toEqual({ amount: "2" });
    expect(parseMoney(1e-7)).toEqual({ amount: "0.0000001" });
    expect(numberToDecimalString(4.02)).toBe("4.02");
    expect(numberToDecimalString(1.5e-9)).toBe("0.0000000015");
    expect(numberToDecimalString(1e21)).toBe("1000000000000000000000");
    expect(numberToDecimalString(-2.5e-7)).toBe("-0.00000025");
    expect(() => parseMoney("1.50USDT")).toThrow();
  });

  it("round-trips base64, compares JSON, finds by network pattern", () => {
    expect(safeBase64Decode(safeBase64Encode("héllo"))).toBe("héllo");
    expect(() => safeBase64Decode("not base64!")).toThrow();
    expect(deepEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(toComparableArray("x")).toEqual(["x"]);
    expect(toComparableArray({})).toBeUndefined();
    const map = new Map([["eip155:*", new Map([["exact", "evm"]])]]);
    expect(findByNetworkAndScheme(map, "exact", "eip155:8453")).toBe("evm");
    expect(findByNetworkAndScheme(map, "exact", "solana:x")).toBeUndefined();
    const data = new Map([
      ["exact", { facilitator: "f", networks: new Set(["eip155:1"]), pattern: "eip155:*" }],
    ]);
    expect(findFacilitatorBySchemeAndNetwork(data, "exact", "eip155:10")).toBe("f");
  });
});

describe("settlement override amounts", () => {
  it.each([
    ["1000", "1000"],
    ["0", "0"],
    ["100%", "10000"],
    ["0.01%", "1"],
    ["$0.0099999", "9999"],
  ])("%s of 10000 at 6 decimals is %s", (raw, atomic) => {
    expect(resolveSettlementOverrideAmount(raw, { amount: "10000" }, 6)).toBe(atomic);
  });

  it("needs decimals for dollars and never exceeds the authorised amount", () => {
    expect(() => resolveSettlementOverrideAmount("$0.01", { amount: "10000" }, undefined)).toThrow(
      /decimals/,
    );
    expect(() => resolveSettlementOverrideAmount("10001", { amount: "10000" }, 6)).toThrow(/exceeds/);
    expect(() => resolveSettlementOverrideAmount("50.5.5%", { amount: "10000" }, 6)).toThrow();
  });
});

describe("enrichment policy (official helper names)", () => {
  const offer = {
    scheme: "exact",
    network: "eip155:1",
    amount: "1",
    asset: "0xa",
    payTo: " ",
    maxTimeoutSeconds: 60,
    extra: { name: "USDC", nested: { a: 1 } },
  };

  it("lets extensions fill vacant fields and add extra keys, nothing else", () => {
    expect(isVacantStringField(" ")).toBe(true);
    const baseline = snapshotPaymentRequirementsList([offer]);
    const filled = [{ ...offer, payTo: "0xb", extra: { ...offer.extra, nested: { a: 1, b: 2 }, id: 1 } }];
    expect(() => assertAcceptsAllowlistedAfterExtensionEnrich(baseline, filled, "x")).not.toThrow();
    for (const bad of [
      { ...offer, amount: "2" },
      { ...offer, network: "eip155:2" },
      { ...offer, extra: { name: "other", nested: { a: 1 } } },
      { ...offer, extra: { ...offer.extra, paymentFlow: "upfront" } },
    ])
      expect(() => assertAcceptsAllowlistedAfterExtensionEnrich(baseline, [bad], "x")).toThrow(
        /extension "x"/,
      );
    expect(() =>
      assertAcceptsAdditiveExtraAfterSchemeEnrich(
        baseline,
        [{ ...offer, payTo: "0xb" }],
        "exact",
        "eip155:1",
      ),
    ).toThrow(/payTo/);
  });

  it("keeps settlement outcomes and payloads additive", () => {
    const result = { success: true, transaction: "0x1", network: "eip155:1" as const };
    const core = snapshotSettleResponseCore(result);
    expect(() =>
      assertSettleResponseCoreUnchanged(core, { ...result, extensions: { a: 1 } }, "x"),
    ).not.toThrow();
    expect(() => assertSettleResponseCoreUnchanged(core, { ...result, transaction: "0x2" }, "x")).toThrow();
    expect(() => assertAdditivePayloadEnrichment({ a: 1 }, { b: 2 }, "scheme")).not.toThrow();
    expect(() => assertAdditivePayloadEnrichment({ a: 1 }, { a: 2 }, "scheme")).toThrow(/payload.a/);
    expect(() =>
      assertAdditiveSettlementExtra({ s: { a: 1 } }, { s: { b: 2 }, c: 3 }, "scheme"),
    ).not.toThrow();
    expect(() => assertAdditiveSettlementExtra({ s: { a: 1 } }, { s: { a: 2 } }, "scheme")).toThrow();
  });
});

describe("server helpers", () => {
  it("adds private to Cache-Control unless it is already private or no-store", () => {
    expect(withPrivateCacheControl(null)).toBe("private");
    expect(withPrivateCacheControl("max-age=60")).toBe("max-age=60, private");
    expect(withPrivateCacheControl("public, max-age=60")).toBe("max-age=60, private");
    expect(withPrivateCacheControl("no-store")).toBe("no-store");
  });

  it("sees a bazaar declaration in any route", () => {
    const accepts = { scheme: "exact", network: "eip155:1" as const, payTo: "0x1", price: "$1" };
    expect(
      checkIfBazaarNeeded({ "GET /a": { accepts }, "GET /b": { accepts, extensions: { bazaar: {} } } }),
    ).toBe(true);
    expect(checkIfBazaarNeeded({ accepts })).toBe(false);
  });

  it("fails initialisation with a FacilitatorCapabilityError when a scheme finds the facilitator lacking", async () => {
    const needy = Object.assign(new LedgerServer(), {
      validateFacilitatorSupport: (_network: string, kind: SupportedKind) =>
        kind.extra?.feePayer ? undefined : "the facilitator names no fee payer",
    });
    const server = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, new LedgerFacilitator()),
    );
    server.register("test:*", needy);
    const error = await server.initialize().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FacilitatorCapabilityError);
    expect((error as FacilitatorCapabilityError).problems).toEqual([
      "ledger on test:ledger: the facilitator names no fee payer",
    ]);
    expect(isFatalStartupInitError(error)).toBe(true);
    expect(isFatalStartupInitError(new RouteConfigurationError([]))).toBe(true);
    expect(isFatalStartupInitError(new Error("ECONNREFUSED"))).toBe(false);
  });

  it("types facilitator transport failures as FacilitatorResponseError (502)", async () => {
    const client = new HTTPFacilitatorClient({ url: "http://127.0.0.1:1", timeoutMs: 2000 });
    const error = await client.getSupported().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FacilitatorResponseError);
    expect(error).toMatchObject({ code: "facilitator_unavailable", status: 502 });
    expect(getFacilitatorResponseError(new Error("wrapped", { cause: error }))).toBe(error);
    expect(getFacilitatorResponseError(new Error("other"))).toBeNull();
  });
});
