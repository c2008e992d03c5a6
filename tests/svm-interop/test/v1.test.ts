import { createKeyPairSignerFromBytes } from "@solana/kit";
import { ExactSvmSchemeV1 as OfficialV1Client } from "@x402/svm/exact/v1/client";
import { ExactSvmSchemeV1 as OurV1Client } from "@x402kit/svm/exact/v1/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRICE, type SvmStack, startSvmStack } from "../src/svmStack.js";

let stack: SvmStack;
beforeAll(async () => {
  stack = await startSvmStack();
});
afterAll(() => stack?.stop());

function v1Requirements(feePayer: string) {
  return {
    scheme: "exact",
    network: "solana-devnet",
    maxAmountRequired: String(PRICE),
    resource: "http://example.test/paid",
    description: "v1",
    mimeType: "application/json",
    payTo: stack.devnet.accounts.payTo.address,
    maxTimeoutSeconds: 60,
    asset: stack.devnet.usdc.address,
    extra: { feePayer },
  };
}

async function post(
  url: string,
  path: "/verify" | "/settle",
  paymentPayload: unknown,
  paymentRequirements: unknown,
) {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ x402Version: 1, paymentPayload, paymentRequirements }),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function settlesOnce(url: string, payload: unknown, requirements: unknown) {
  const { payer, payTo } = stack.devnet.accounts;
  const before = [
    await stack.devnet.tokenBalance(payer.address),
    await stack.devnet.tokenBalance(payTo.address),
  ];
  expect(await post(url, "/verify", payload, requirements)).toMatchObject({
    isValid: true,
    payer: payer.address,
  });
  expect(await post(url, "/settle", payload, requirements)).toMatchObject({
    success: true,
    network: "solana-devnet",
  });
  expect(await post(url, "/settle", payload, requirements)).toMatchObject({
    success: false,
    errorReason: "duplicate_settlement",
  });
  expect(before[0]! - (await stack.devnet.tokenBalance(payer.address))).toBe(PRICE);
  expect((await stack.devnet.tokenBalance(payTo.address)) - before[1]!).toBe(PRICE);
}

describe("x402 v1 on Solana (solana-devnet)", () => {
  it("the official v1 client pays through our facilitator service", async () => {
    const signer = await createKeyPairSignerFromBytes(stack.devnet.accounts.payer.secretKey);
    const requirements = v1Requirements(stack.devnet.accounts.facilitator.address);
    const payload = await new OfficialV1Client(signer, { rpcUrl: stack.devnet.rpcUrl }).createPaymentPayload(
      1,
      requirements as never,
    );
    expect(payload).toMatchObject({ x402Version: 1, scheme: "exact", network: "solana-devnet" });
    await settlesOnce(stack.ours.url, payload, requirements);
  });

  it("our v1 client pays through the official facilitator", async () => {
    const requirements = v1Requirements(stack.devnet.accounts.other.address);
    const payload = await new OurV1Client(stack.devnet.accounts.payer.signer, {
      rpcUrl: stack.devnet.rpcUrl,
    }).createPaymentPayload(1, requirements as never);
    expect(payload).toMatchObject({ x402Version: 1, scheme: "exact", network: "solana-devnet" });
    await settlesOnce(stack.official.url, payload, requirements);
  });
});
