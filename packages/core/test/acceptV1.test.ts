import { encodeHeaderJson } from "@x402kit/core/http";
import { toPaymentRequiredV1 } from "@x402kit/core/server";
import { describe, expect, it } from "vitest";
import { fromXPaymentHeader, xPaymentResponseHeaders } from "../src/server/acceptV1.js";

const names: Record<string, string> = { "eip155:84532": "base-sepolia" };
const v1 = { networkName: (network: string) => names[network] };
const offer = (network: string) => ({
  scheme: "exact",
  network,
  amount: "10000",
  asset: "0xA",
  payTo: "0xB",
  maxTimeoutSeconds: 60,
  extra: { name: "USDC", version: "2" },
});

describe("the server's v1 opt-in (acceptV1)", () => {
  it("builds the v1 402 body from offers that have a v1 name", () => {
    const body = toPaymentRequiredV1(
      {
        x402Version: 2,
        error: "Payment required",
        resource: { url: "https://a.test/x", description: "d", mimeType: "text/plain" },
        accepts: [offer("eip155:84532"), offer("solana:abc")],
      },
      v1,
    );
    expect(body).toEqual({
      x402Version: 1,
      error: "Payment required",
      accepts: [
        {
          scheme: "exact",
          network: "base-sepolia",
          maxAmountRequired: "10000",
          resource: "https://a.test/x",
          description: "d",
          mimeType: "text/plain",
          payTo: "0xB",
          maxTimeoutSeconds: 60,
          asset: "0xA",
          extra: { name: "USDC", version: "2" },
        },
      ],
    });
  });

  it("turns X-PAYMENT into the v2 payload of the offer with its scheme and network", () => {
    const accepts = [offer("solana:abc"), offer("eip155:84532")];
    const header = encodeHeaderJson({
      x402Version: 1,
      scheme: "exact",
      network: "base-sepolia",
      payload: { a: 1 },
    });
    expect(fromXPaymentHeader(header, accepts, v1)).toEqual({
      payload: { x402Version: 2, accepted: accepts[1], payload: { a: 1 } },
    });
    const other = encodeHeaderJson({ x402Version: 1, scheme: "upto", network: "base-sepolia", payload: {} });
    expect(fromXPaymentHeader(other, accepts, v1)).toMatchObject({ reason: "no_matching_requirements" });
    expect(fromXPaymentHeader("%%%", accepts, v1)).toMatchObject({ reason: "invalid_payload", status: 400 });
    const v2InV1 = encodeHeaderJson({ x402Version: 2, accepted: accepts[1], payload: {} });
    expect(fromXPaymentHeader(v2InV1, accepts, v1)).toMatchObject({ reason: "invalid_payload" });
  });

  it("picks the offer whose payTo, amount and asset the payload pays, among offers on one scheme and network", () => {
    const cheap = offer("eip155:84532");
    const dear = { ...offer("eip155:84532"), amount: "20000", payTo: "0xC" };
    const permit2 = { ...offer("eip155:84532"), asset: "0xD" };
    const accepts = [cheap, dear, permit2];
    const header = (payload: unknown) =>
      encodeHeaderJson({ x402Version: 1, scheme: "exact", network: "base-sepolia", payload });
    const chosen = (payload: unknown) => {
      const result = fromXPaymentHeader(header(payload), accepts, v1);
      return "payload" in result ? result.payload.accepted : undefined;
    };
    expect(chosen({ signature: "0x", authorization: { from: "0xF", to: "0xc", value: "20000" } })).toBe(dear);
    expect(
      chosen({
        signature: "0x",
        permit2Authorization: { permitted: { token: "0xd", amount: "10000" }, witness: { to: "0xB" } },
      }),
    ).toBe(permit2);
    // Nothing fits: the first offer, whose checks then refuse the payment.
    expect(chosen({ authorization: { to: "0xE", value: "1" } })).toBe(cheap);
  });

  it("names the v1 network in X-PAYMENT-RESPONSE", () => {
    const headers = xPaymentResponseHeaders(
      { success: true, transaction: "0x1", network: "eip155:84532" },
      v1,
    );
    const decoded = JSON.parse(Buffer.from(headers["X-PAYMENT-RESPONSE"] as string, "base64").toString());
    expect(decoded).toEqual({ success: true, transaction: "0x1", network: "base-sepolia" });
  });
});
