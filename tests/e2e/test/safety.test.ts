import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { x402Client, x402HTTPClient } from "@x402kit/core/client";
import { decodePaymentResponseHeader, encodeHeaderJson, HTTPFacilitatorClient } from "@x402kit/core/http";
import { transferWithAuthorizationTypes } from "@x402kit/evm";
import { ExactEvmScheme as OurExactEvmScheme } from "@x402kit/evm/exact/client";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402kit/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import express from "express";
import { type Hex, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InteropStack, listen, PRICE, paidRoute, startInteropStack } from "../src/stack.js";

// Money safety of the whole HTTP path on a real anvil chain: our express server, backed by
// our facilitator service, against replays, duplicates and forged or malformed payments.
let stack: InteropStack;
let api: { url: string; close(): Promise<void> };
let secondApi: { url: string; close(): Promise<void> };
let handlerRuns = 0;

function app() {
  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: stack.ours.url })).register(
    "eip155:*",
    new ExactEvmServerScheme(),
  );
  const a = express();
  a.use(paymentMiddleware(paidRoute(stack), server));
  a.get("/paid", (_req, res) => {
    handlerRuns += 1;
    res.json({ content: "paid" });
  });
  return a;
}

beforeAll(async () => {
  stack = await startInteropStack();
  api = await listen(app());
  secondApi = await listen(app());
});
afterAll(async () => {
  await api?.close();
  await secondApi?.close();
  await stack?.stop();
});

const payTo = () => stack.devnet.accounts.payTo.address;
const payToBalance = () => stack.devnet.balanceOf(payTo());

async function requirements(): Promise<PaymentRequirements> {
  const unpaid = await fetch(`${api.url}/paid`);
  const http = new x402HTTPClient(new x402Client());
  return http.getPaymentRequiredResponse((n) => unpaid.headers.get(n)).accepts[0] as PaymentRequirements;
}

/** A genuine payment header from our client. */
async function validHeader(): Promise<string> {
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

interface Forgery {
  account?: ReturnType<typeof privateKeyToAccount>;
  to?: Hex;
  value?: bigint;
  validAfter?: bigint;
  validBefore?: bigint;
  chainId?: number;
  verifyingContract?: Hex;
  accepted?: Partial<PaymentRequirements>;
  tamper?: (signature: Hex) => Hex;
}

/** A hand-built EIP-3009 payment, correct unless `forgery` says otherwise. */
async function forgedHeader(forgery: Forgery = {}): Promise<string> {
  const accepted = await requirements();
  const account = forgery.account ?? stack.payerAccount;
  const now = BigInt(Math.floor(Date.now() / 1000));
  const message = {
    from: account.address,
    to: forgery.to ?? (accepted.payTo as Hex),
    value: forgery.value ?? BigInt(accepted.amount),
    validAfter: forgery.validAfter ?? 0n,
    validBefore: forgery.validBefore ?? now + 300n,
    nonce: toHex(crypto.getRandomValues(new Uint8Array(32))),
  };
  const signature = await account.signTypedData({
    domain: {
      name: stack.devnet.usdc.name,
      version: stack.devnet.usdc.version,
      chainId: forgery.chainId ?? stack.devnet.chainId,
      verifyingContract: forgery.verifyingContract ?? stack.devnet.usdc.address,
    },
    types: transferWithAuthorizationTypes,
    primaryType: "TransferWithAuthorization",
    message,
  });
  const authorization = Object.fromEntries(
    Object.entries(message).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]),
  );
  const payload: PaymentPayload = {
    x402Version: 2,
    resource: { url: `${api.url}/paid` },
    accepted: { ...accepted, ...forgery.accepted },
    payload: { signature: forgery.tamper ? forgery.tamper(signature) : signature, authorization },
  };
  return encodeHeaderJson(payload);
}

async function pay(header: string, url = api.url) {
  const response = await fetch(`${url}/paid`, { headers: { "PAYMENT-SIGNATURE": header } });
  const body = await response.json().catch(() => undefined);
  return { status: response.status, body, response };
}

describe("payment safety on anvil (our express + our facilitator)", () => {
  it("a replayed payment moves money once", async () => {
    const header = await validHeader();
    const before = await payToBalance();
    const first = await pay(header);
    expect(first.status).toBe(200);
    expect(decodePaymentResponseHeader(first.response.headers.get("payment-response")!).success).toBe(true);
    const replay = await pay(header);
    expect(replay.status).toBe(402);
    expect(replay.body.error).toBe("invalid_exact_evm_nonce_already_used");
    expect((await payToBalance()) - before).toBe(BigInt(PRICE));
  });

  it("20 concurrent copies of one payment, across two servers, move money once and deliver the content once", async () => {
    const header = await validHeader();
    const before = await payToBalance();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => pay(header, i % 2 ? secondApi.url : api.url)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.body?.content === "paid")).toHaveLength(1);
    expect(results.filter((r) => r.status === 402)).toHaveLength(19);
    expect((await payToBalance()) - before).toBe(BigInt(PRICE));
    // Each server lets one copy at a time through; the facilitator and the token's nonce stop the rest.
    for (const r of results.filter((r) => r.status === 402))
      expect(r.body.error).toMatch(/^(duplicate_settlement|invalid_exact_evm_nonce_already_used)$/);
  });

  const now = () => BigInt(Math.floor(Date.now() / 1000));
  it.each<[string, () => Promise<Forgery>, string]>([
    [
      "an expired authorization",
      async () => ({ validBefore: now() - 1n }),
      "invalid_exact_evm_payload_authorization_valid_before",
    ],
    [
      "a not-yet-valid authorization",
      async () => ({ validAfter: now() + 3600n }),
      "invalid_exact_evm_payload_authorization_valid_after",
    ],
    ["a wrong amount", async () => ({ value: 1n }), "invalid_exact_evm_payload_authorization_value_mismatch"],
    [
      "a wrong payTo",
      async () => ({ to: stack.devnet.accounts.other.address }),
      "invalid_exact_evm_recipient_mismatch",
    ],
    [
      "a signature for another asset",
      async () => ({ verifyingContract: stack.devnet.accounts.other.address }),
      "invalid_exact_evm_signature",
    ],
    ["a signature for another chain id", async () => ({ chainId: 8453 }), "invalid_exact_evm_signature"],
    [
      "a tampered signature",
      async () => ({ tamper: (s) => `${s.slice(0, 10)}${s[10] === "0" ? "1" : "0"}${s.slice(11)}` as Hex }),
      "invalid_exact_evm_signature",
    ],
    ["an unknown scheme", async () => ({ accepted: { scheme: "upto" } }), "unsupported_scheme"],
    ["an unknown network", async () => ({ accepted: { network: "eip155:1" } }), "invalid_network"],
    [
      "another asset in accepted",
      async () => ({ accepted: { asset: stack.devnet.accounts.other.address } }),
      "invalid_payment_requirements",
    ],
    [
      "a payer without funds",
      async () => ({ account: privateKeyToAccount(generatePrivateKey()) }),
      "invalid_exact_evm_insufficient_balance",
    ],
  ])("%s gets 402 with its reason and moves nothing", async (_label, forgery, reason) => {
    const before = await payToBalance();
    handlerRuns = 0;
    const result = await pay(await forgedHeader(await forgery()));
    expect(result.status).toBe(402);
    expect(result.body.error).toBe(reason);
    expect(result.response.headers.get("payment-required")).toBeTruthy();
    expect(handlerRuns).toBe(0);
    expect(await payToBalance()).toBe(before);
  });

  it.each([
    ["non-base64", "not base64!", 400],
    ["base64 of non-JSON", Buffer.from("<xml/>").toString("base64"), 400],
    ["JSON null", Buffer.from("null").toString("base64"), 400],
    ["a payload without authorization", encodeHeaderJson({ x402Version: 2, accepted: {}, payload: {} }), 400],
    ["an oversized header", "A".repeat(12_000), 431],
  ])("%s gets a clear %i, never a 500", async (_label, header, status) => {
    const result = await pay(header);
    expect(result.status).toBe(status);
    expect(typeof result.body.error).toBe("string");
  });

  it("a well-formed payload with garbage inside gets 402 invalid_payload, not a crash", async () => {
    const accepted = await requirements();
    const header = encodeHeaderJson({
      x402Version: 2,
      accepted,
      payload: {
        signature: "0xzz",
        authorization: { from: 12, to: null, value: "ten", validAfter: -1, validBefore: "x", nonce: "0x1" },
      },
    });
    const result = await pay(header);
    expect(result.status).toBe(402);
    expect(result.body.error).toBe("invalid_payload");
  });
});
