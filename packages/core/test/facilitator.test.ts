import type { PaymentPayload, PaymentRequirements, SchemeFacilitator } from "@x402kit/core";
import { handleFacilitatorRequest, x402Facilitator } from "@x402kit/core/facilitator";
import { beforeEach, describe, expect, it } from "vitest";
import { LEDGER_ASSET, LEDGER_NETWORK, LedgerFacilitator } from "./ledgerScheme.js";

const requirements: PaymentRequirements = {
  scheme: "ledger",
  network: LEDGER_NETWORK,
  amount: "5",
  asset: LEDGER_ASSET,
  payTo: "merchant",
  maxTimeoutSeconds: 60,
  extra: {},
};
const payload = (nonce: string): PaymentPayload => ({
  x402Version: 2,
  accepted: requirements,
  payload: { from: "alice", to: "merchant", amount: "5", nonce },
});

describe("x402Facilitator", () => {
  let ledger: LedgerFacilitator;
  let facilitator: x402Facilitator;
  beforeEach(() => {
    ledger = new LedgerFacilitator();
    ledger.balances.set("alice", 10n);
    facilitator = new x402Facilitator().register(LEDGER_NETWORK, ledger).registerExtension("bazaar");
  });

  it("describes itself for /supported", () => {
    expect(facilitator.getSupported()).toEqual({
      kinds: [{ x402Version: 2, scheme: "ledger", network: LEDGER_NETWORK }],
      extensions: ["bazaar"],
      signers: { "test:*": ["ledger-operator"] },
    });
  });

  it("routes by network and scheme with wire reasons", async () => {
    expect(await facilitator.verify(payload("n1"), requirements)).toEqual({ isValid: true, payer: "alice" });
    expect((await facilitator.verify(payload("n1"), { ...requirements, scheme: "upto" })).invalidReason).toBe(
      "unsupported_scheme",
    );
    expect(
      (await facilitator.verify(payload("n1"), { ...requirements, network: "test:x" })).invalidReason,
    ).toBe("invalid_network");
    const settled = await facilitator.settle(payload("n1"), { ...requirements, network: "eip155:1" });
    expect(settled).toEqual({
      success: false,
      errorReason: "invalid_network",
      transaction: "",
      network: "eip155:1",
    });
  });

  it("turns a throwing scheme into unexpected_verify_error, and lets hooks recover", async () => {
    ledger.verify = async () => {
      throw new Error("rpc down");
    };
    expect(await facilitator.verify(payload("n1"), requirements)).toEqual({
      isValid: false,
      invalidReason: "unexpected_verify_error",
      invalidMessage: "rpc down",
    });
    facilitator.onVerifyFailure(() => ({ recovered: true, result: { isValid: true, payer: "hook" } }));
    expect(await facilitator.verify(payload("n1"), requirements)).toEqual({ isValid: true, payer: "hook" });
  });

  it("lets a before-settle hook abort", async () => {
    facilitator.onBeforeSettle(() => ({ abort: true, reason: "maintenance" }));
    expect(await facilitator.settle(payload("n2"), requirements)).toMatchObject({
      success: false,
      errorReason: "maintenance",
    });
    expect(ledger.balances.get("merchant")).toBeUndefined();
  });

  describe("handleFacilitatorRequest", () => {
    it.each([
      ["a non-object body", "text", "invalid_payload"],
      ["a missing paymentPayload", { x402Version: 2, paymentRequirements: requirements }, "invalid_payload"],
      [
        "a numeric amount",
        { x402Version: 2, paymentPayload: payload("n"), paymentRequirements: { ...requirements, amount: 5 } },
        "invalid_payment_requirements",
      ],
      [
        "an envelope version that differs from the payload's",
        { x402Version: 1, paymentPayload: payload("n"), paymentRequirements: requirements },
        "invalid_x402_version",
      ],
      [
        "a v1 payload without scheme and network",
        {
          x402Version: 1,
          paymentPayload: { x402Version: 1, payload: {} },
          paymentRequirements: requirements,
        },
        "invalid_payload",
      ],
    ])("answers %s with 400 and a reason", async (_label, body, error) => {
      const response = await handleFacilitatorRequest(facilitator, { method: "POST", path: "/verify", body });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error });
    });

    it("serves verify, settle and supported", async () => {
      const body = { x402Version: 2, paymentPayload: payload("n3"), paymentRequirements: requirements };
      expect(await handleFacilitatorRequest(facilitator, { method: "POST", path: "/verify", body })).toEqual({
        status: 200,
        body: { isValid: true, payer: "alice" },
      });
      const settled = await handleFacilitatorRequest(facilitator, { method: "POST", path: "/settle/", body });
      expect(settled.body).toMatchObject({ success: true, payer: "alice" });
      expect(
        (await handleFacilitatorRequest(facilitator, { method: "GET", path: "/supported" })).status,
      ).toBe(200);
      expect((await handleFacilitatorRequest(facilitator, { method: "GET", path: "/verify" })).status).toBe(
        404,
      );
    });
  });

  describe("x402 v1", () => {
    const v1Requirements = {
      scheme: "ledger",
      network: "ledger-testnet",
      maxAmountRequired: "5",
      resource: "https://api.example/report",
      description: "",
      mimeType: "",
      payTo: "merchant",
      maxTimeoutSeconds: 60,
      asset: LEDGER_ASSET,
      extra: {},
    };
    const v1Payload = {
      x402Version: 1,
      scheme: "ledger",
      network: "ledger-testnet",
      payload: { nonce: "v1" },
    };
    /** Test double: a v1 scheme that records what reached it. */
    const seen: unknown[] = [];
    const v1Double = {
      scheme: "ledger",
      caipFamily: "test:*",
      getExtra: () => undefined,
      getSigners: () => ["v1-operator"],
      verify: async (p: unknown, r: unknown) => {
        seen.push([p, r]);
        return { isValid: true, payer: "v1-payer" };
      },
      settle: async (_p: unknown, r: { network: string }) => ({
        success: true,
        transaction: "v1-tx",
        network: r.network,
      }),
    };
    beforeEach(() => {
      seen.length = 0;
      facilitator.registerV1("ledger-testnet", v1Double);
    });

    it("lists v1 kinds beside v2 ones and dispatches v1 bodies to registerV1 schemes", async () => {
      expect(facilitator.getSupported().kinds).toEqual([
        { x402Version: 2, scheme: "ledger", network: LEDGER_NETWORK },
        { x402Version: 1, scheme: "ledger", network: "ledger-testnet" },
      ]);
      const body = { x402Version: 1, paymentPayload: v1Payload, paymentRequirements: v1Requirements };
      const verified = await handleFacilitatorRequest(facilitator, { method: "POST", path: "/verify", body });
      expect(verified).toEqual({ status: 200, body: { isValid: true, payer: "v1-payer" } });
      expect(seen).toEqual([[v1Payload, v1Requirements]]);
      const settled = await handleFacilitatorRequest(facilitator, { method: "POST", path: "/settle", body });
      expect(settled.body).toEqual({ success: true, transaction: "v1-tx", network: "ledger-testnet" });
      expect(ledger.balances.get("alice")).toBe(10n); // the v2 scheme was never called
    });

    it("keeps the versions apart: wrong version, network or scheme get their reasons", async () => {
      const v1 = (over: object) =>
        facilitator.verify({ ...v1Payload, ...over } as never, { ...v1Requirements, ...over } as never);
      expect((await v1({ scheme: "exact" })).invalidReason).toBe("unsupported_scheme");
      expect((await v1({ network: "base" })).invalidReason).toBe("invalid_network");
      // a v2 payload for the v1-only network name
      expect(
        (await facilitator.verify(payload("n9"), { ...requirements, network: "ledger-testnet" }))
          .invalidReason,
      ).toBe("invalid_network");
      expect(
        (await facilitator.verify({ ...payload("n9"), x402Version: 3 } as never, requirements)).invalidReason,
      ).toBe("invalid_x402_version");
    });
  });

  describe("extensions", () => {
    it("takes official { key, …capabilities } objects and hands them to schemes", async () => {
      const sponsor = { key: "eip2612GasSponsoring", signer: "0xsponsor" };
      let seenBySchemes: unknown;
      (ledger as SchemeFacilitator).verify = async (_p, _r, context) => {
        seenBySchemes = context?.getExtension("eip2612GasSponsoring");
        return { isValid: true, payer: "alice" };
      };
      facilitator.registerExtension(sponsor);
      expect(facilitator.getExtensions()).toEqual(["bazaar", "eip2612GasSponsoring"]);
      expect(facilitator.getExtension("eip2612GasSponsoring")).toBe(sponsor);
      await facilitator.verify(payload("n4"), requirements);
      expect(seenBySchemes).toBe(sponsor);
      expect(() => facilitator.registerExtension({ key: "bazaar" })).toThrow(/already registered/);
      expect(() => facilitator.registerExtension({ key: "" })).toThrow(/non-empty key/);
      expect(() =>
        facilitator.registerExtension({
          key: "x",
          routes: [{ method: "GET", path: "nope", handle: () => ({ status: 200, body: 1 }) }],
        }),
      ).toThrow(/route/);
    });

    it("publishes supported() data and serves the extension's routes", async () => {
      const catalog = ["https://api.example/weather"];
      facilitator.registerExtension({
        key: "catalog",
        supported: () => ({ size: catalog.length }),
        routes: [
          {
            method: "GET",
            path: "/discovery/resources",
            handle: ({ query }) => ({
              status: 200,
              body: { items: catalog.slice(0, Number(query?.get("limit") ?? 10)) },
            }),
          },
          {
            method: "POST",
            path: "/discovery/resources",
            handle: ({ body }) => {
              catalog.push(String((body as { url: string }).url));
              return { status: 201, body: { ok: true } };
            },
          },
        ],
      });
      facilitator.registerExtension({
        key: "broken",
        supported: () => {
          throw new Error("boom");
        },
      });
      expect(facilitator.getSupported()).toMatchObject({
        extensions: ["bazaar", "catalog", "broken"],
        extensionData: { catalog: { size: 1 } },
      });
      expect(facilitator.getSupported().extensionData).not.toHaveProperty("broken");
      const added = await handleFacilitatorRequest(facilitator, {
        method: "POST",
        path: "/discovery/resources",
        body: { url: "https://api.example/news" },
      });
      expect(added).toEqual({ status: 201, body: { ok: true } });
      const listed = await handleFacilitatorRequest(facilitator, {
        method: "get",
        path: "/discovery/resources/",
        query: new URLSearchParams("limit=5"),
      });
      expect(listed).toEqual({
        status: 200,
        body: { items: ["https://api.example/weather", "https://api.example/news"] },
      });
      expect(
        (await handleFacilitatorRequest(facilitator, { method: "DELETE", path: "/discovery/resources" }))
          .status,
      ).toBe(404);
    });
  });
});
