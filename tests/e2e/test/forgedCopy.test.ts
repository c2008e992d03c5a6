import { x402Client, x402HTTPClient } from "@x402kit/core/client";
import { decodePaymentSignatureHeader, encodeHeaderJson, HTTPFacilitatorClient } from "@x402kit/core/http";
import { ExactEvmScheme as OurExactEvmScheme } from "@x402kit/evm/exact/client";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402kit/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import express from "express";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InteropStack, listen, PRICE, paidRoute, startInteropStack } from "../src/stack.js";

// On anvil, through our express server and facilitator service: a forged copy of a payment
// (the victim's payer and nonce, someone else's signature) must not block the real one, and
// concurrent copies of a real payment settle once.
let stack: InteropStack;
let api: { url: string; close(): Promise<void> };
let handlerRuns = 0;

beforeAll(async () => {
  stack = await startInteropStack();
  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: stack.ours.url })).register(
    "eip155:*",
    new ExactEvmServerScheme(),
  );
  const app = express();
  app.use(paymentMiddleware(paidRoute(stack), server));
  app.get("/paid", (_req, res) => {
    handlerRuns += 1;
    res.json({ content: "paid" });
  });
  api = await listen(app);
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

const payToBalance = () => stack.devnet.balanceOf(stack.devnet.accounts.payTo.address);

async function realHeader(): Promise<string> {
  const unpaid = await fetch(`${api.url}/paid`);
  const http = new x402HTTPClient(
    new x402Client({
      spendControls: { allowedAssets: [{ network: stack.devnet.network, asset: stack.devnet.usdc.address }] },
    }).register("eip155:*", new OurExactEvmScheme(stack.payerAccount)),
  );
  const headers = await http.createPaymentHeaders(
    http.getPaymentRequiredResponse((n) => unpaid.headers.get(n)),
  );
  return headers["PAYMENT-SIGNATURE"] as string;
}

/** The same payment (payer, nonce, amount) signed by an attacker's key. */
async function forgedCopy(header: string): Promise<string> {
  const payment = decodePaymentSignatureHeader(header);
  const inner = payment.payload as { authorization: Record<string, string>; signature: `0x${string}` };
  const attacker = privateKeyToAccount(generatePrivateKey());
  const a = inner.authorization;
  const signature = await attacker.signTypedData({
    domain: { ...stack.devnet.usdc.domain },
    types: {
      TransferWithAuthorization: [
        { name: "from", type: "address" },
        { name: "to", type: "address" },
        { name: "value", type: "uint256" },
        { name: "validAfter", type: "uint256" },
        { name: "validBefore", type: "uint256" },
        { name: "nonce", type: "bytes32" },
      ],
    },
    primaryType: "TransferWithAuthorization",
    message: {
      from: a.from as `0x${string}`,
      to: a.to as `0x${string}`,
      value: BigInt(a.value as string),
      validAfter: BigInt(a.validAfter as string),
      validBefore: BigInt(a.validBefore as string),
      nonce: a.nonce as `0x${string}`,
    },
  });
  return encodeHeaderJson({ ...payment, payload: { ...inner, signature } });
}

const paid = (header: string) => fetch(`${api.url}/paid`, { headers: { "PAYMENT-SIGNATURE": header } });

describe("forged copies at the resource server (anvil, our facilitator)", () => {
  it("forged copies sent just before the real payment are refused; the real one is served and settled", async () => {
    const header = await realHeader();
    const before = await payToBalance();
    // Several forged copies in flight (being verified) when the real payment arrives.
    const forged = await Promise.all(Array.from({ length: 5 }, () => forgedCopy(header)));
    const forgedResponses = forged.map((copy) => paid(copy));
    await new Promise((resolve) => setTimeout(resolve, 2));
    const realResponse = await paid(header);
    expect(realResponse.status).toBe(200);
    expect(await realResponse.json()).toEqual({ content: "paid" });
    for (const response of await Promise.all(forgedResponses)) expect(response.status).toBe(402);
    expect(await payToBalance()).toBe(before + BigInt(PRICE));
  });

  it("20 concurrent copies of a real payment: one is served, the others are duplicates, one transfer", async () => {
    const header = await realHeader();
    const before = await payToBalance();
    const runsBefore = handlerRuns;
    const responses = await Promise.all(Array.from({ length: 20 }, () => paid(header)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 402)).toHaveLength(19);
    expect(handlerRuns - runsBefore).toBe(1);
    expect(await payToBalance()).toBe(before + BigInt(PRICE));
  });
});
