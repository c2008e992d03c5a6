import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { UptoEvmScheme as UptoClient } from "@x402kit/evm/upto/client";
import { UptoEvmScheme as UptoFacilitator } from "@x402kit/evm/upto/facilitator";
import { UptoEvmScheme as UptoServer } from "@x402kit/evm/upto/server";
import { hashTypedData } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { permit2TypedDataOf } from "../src/permit2/index.js";
import { isUptoPermit2Payload, uptoPermit2ProxyConfig } from "../src/upto/payload.js";

// upto.md §2.7 (same signer, asset and payTo as exact-evm.md §7).
const account = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const asset = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const payTo = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C";
const facilitatorAddress = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const vector = {
  from: account.address,
  permitted: { token: asset, amount: "5000000" },
  spender: "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002",
  nonce: "12345678901234567890",
  deadline: "1900000000",
  witness: { to: payTo, facilitator: facilitatorAddress, validAfter: "0" },
} as const;

describe("upto typed data (upto.md §2.7)", () => {
  it("hashes to the test vector's digest and signs to its signature", async () => {
    const typedData = permit2TypedDataOf(vector as never, 84532, uptoPermit2ProxyConfig);
    expect(hashTypedData(typedData as never)).toBe(
      "0xfafc9994a7e4805de24e5ffbf27fca1b370d804ad0db15ff538bddba2c4d45fc",
    );
    expect(await account.signTypedData(typedData as never)).toBe(
      "0x216e6405e954b01eaf3273d83e01cb889b5fb51e1d33913ec5f45c86013aac5b6128e15f036c13a856b58b9568e7a01b8fe5d27f34a54f974be87108b217f1d01c",
    );
  });
});

describe("UptoEvmScheme (client)", () => {
  const requirements = {
    scheme: "upto",
    network: "eip155:84532",
    amount: "5000000",
    asset,
    payTo,
    maxTimeoutSeconds: 60,
    extra: { facilitatorAddress, assetTransferMethod: "permit2" },
  };

  it("signs the maximum to the upto proxy, bound to payTo and the named facilitator", async () => {
    const { payload } = await new UptoClient(account).createPaymentPayload(2, requirements);
    expect(isUptoPermit2Payload(payload)).toBe(true);
    expect(payload).toMatchObject({
      permit2Authorization: {
        from: account.address,
        permitted: { token: asset, amount: "5000000" },
        spender: "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002",
        witness: { to: payTo, facilitator: facilitatorAddress, validAfter: "0" },
      },
    });
    const auth = (payload as { permit2Authorization: { nonce: string; deadline: string } })
      .permit2Authorization;
    expect(auth.nonce).toMatch(/^\d+$/);
    expect(Number(auth.deadline)).toBeGreaterThan(Date.now() / 1000);
  });

  it("refuses requirements without a facilitator address", async () => {
    await expect(
      new UptoClient(account).createPaymentPayload(2, { ...requirements, extra: {} }),
    ).rejects.toMatchObject({ code: "invalid_payment_requirements" });
  });
});

describe("UptoEvmScheme (server)", () => {
  it("copies the facilitator's address from /supported and asks for permit2", () => {
    const server = new UptoServer();
    const enhanced = server.enhancePaymentRequirements(
      {
        scheme: "upto",
        network: "eip155:84532",
        amount: "1",
        asset,
        payTo,
        maxTimeoutSeconds: 60,
        extra: {},
      },
      {
        x402Version: 2,
        scheme: "upto",
        network: "eip155:84532",
        extra: { facilitatorAddress: facilitatorAddress.toLowerCase() },
      },
      [],
    );
    expect(enhanced.extra).toEqual({
      assetTransferMethod: "permit2",
      facilitatorAddress,
    });
    expect(
      server.validateFacilitatorSupport("eip155:84532", {
        x402Version: 2,
        scheme: "upto",
        network: "eip155:84532",
      }),
    ).toMatch(/facilitatorAddress/);
  });
});

describe("UptoEvmScheme (facilitator) refuses before any chain access", () => {
  // A test double: any chain access fails the test.
  const noChain = () => {
    throw new Error("no chain access expected");
  };
  const scheme = new UptoFacilitator({
    address: facilitatorAddress,
    chainId: 84532,
    getCode: noChain,
    call: noChain,
    sendTransaction: noChain,
    waitForTransactionReceipt: noChain,
  });
  const requirements = {
    scheme: "upto",
    network: "eip155:84532",
    amount: "5000000",
    asset,
    payTo,
    maxTimeoutSeconds: 60,
    extra: { facilitatorAddress: facilitatorAddress },
  };
  const payload = (
    inner: Record<string, unknown>,
    accepted: PaymentRequirements = requirements,
  ): PaymentPayload => ({
    x402Version: 2,
    accepted,
    payload: inner,
  });
  const good = { signature: "0x12", permit2Authorization: { ...vector, witness: { ...vector.witness } } };

  it.each([
    [
      "no witness.facilitator",
      { ...good, permit2Authorization: { ...vector, witness: { to: payTo, validAfter: "0" } } },
    ],
    ["no signature", { permit2Authorization: vector }],
    ["an EIP-3009 payload", { signature: "0x12", authorization: {} }],
    [
      "a non-numeric amount",
      { ...good, permit2Authorization: { ...vector, permitted: { token: asset, amount: "lots" } } },
    ],
  ])("%s → unsupported_payload_type", async (_name, inner) => {
    expect(await scheme.verify(payload(inner), requirements)).toMatchObject({
      isValid: false,
      invalidReason: "unsupported_payload_type",
    });
  });

  it("wrong scheme or network → the upto reasons", async () => {
    const exact = { ...requirements, scheme: "exact" };
    expect(await scheme.verify(payload(good, exact), exact)).toMatchObject({
      invalidReason: "invalid_upto_evm_scheme",
    });
    const other = { ...requirements, network: "eip155:1" };
    expect(await scheme.verify(payload(good, other), other)).toMatchObject({
      invalidReason: "invalid_upto_evm_network_mismatch",
    });
  });

  it("settle refuses a malformed charge", async () => {
    expect(await scheme.settle(payload(good), { ...requirements, amount: "-1" })).toMatchObject({
      success: false,
      errorReason: "invalid_payment_requirements",
    });
  });
});
