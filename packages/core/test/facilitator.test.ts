import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
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
        "x402Version 1",
        {
          x402Version: 1,
          paymentPayload: { x402Version: 1, payload: {} },
          paymentRequirements: requirements,
        },
        "invalid_x402_version",
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
});
