import { isX402Error, type PaymentRequirements } from "@x402kit/core";
import { hashTypedData, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ExactEvmClient, registerExactEvmClient } from "../src/exact/client/index.js";
import { type ExactEvmPayload, isExactEvmPayload, transferWithAuthorizationTypedData } from "../src/index.js";

// exact-evm.md §7
const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ASSET = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C";
const VECTOR_DIGEST = "0x925f00ea9e1189df2371e0c8f218cbdd5776140d9da472a8c7cc6a57f9191a36";
const VECTOR_SIGNATURE =
  "0xce2966c3fccb19b78025ec464a806a65d3bf9755f72c2451a1b06b30ca074ddd36e247ce7c15ad88c8da6ccbde485de425459cbe54d1941d614b03b5bfefcf941b";

const account = privateKeyToAccount(KEY);
const requirements = (overrides: Partial<PaymentRequirements> = {}): PaymentRequirements => ({
  scheme: "exact",
  network: "eip155:84532",
  amount: "10000",
  asset: ASSET,
  payTo: PAY_TO,
  maxTimeoutSeconds: 300,
  extra: { name: "USDC", version: "2" },
  ...overrides,
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("ExactEvmClient", () => {
  it("reproduces the reference signature of exact-evm.md §7", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime((1_900_000_000 - 300) * 1000);
    vi.spyOn(crypto, "getRandomValues").mockImplementation((array) => {
      (array as Uint8Array).fill(0x11);
      return array;
    });
    const result = await new ExactEvmClient(account).createPaymentPayload(2, requirements(), {});
    const payload = result.payload as unknown as ExactEvmPayload;
    expect(payload.authorization).toEqual({
      from: account.address,
      to: PAY_TO,
      value: "10000",
      validAfter: "0",
      validBefore: "1900000000",
      nonce: `0x${"11".repeat(32)}`,
    });
    expect(payload.signature).toBe(VECTOR_SIGNATURE);
    const typedData = transferWithAuthorizationTypedData(
      { name: "USDC", version: "2", chainId: 84532, verifyingContract: ASSET },
      {
        from: account.address,
        to: PAY_TO,
        value: 10000n,
        validAfter: 0n,
        validBefore: 1_900_000_000n,
        nonce: payload.authorization.nonce,
      },
    );
    expect(hashTypedData(typedData)).toBe(VECTOR_DIGEST);
  });

  it("builds the payload fields the protocol expects", async () => {
    const before = Math.floor(Date.now() / 1000);
    const lowerPayTo = PAY_TO.toLowerCase();
    const result = await new ExactEvmClient(account).createPaymentPayload(
      2,
      requirements({ payTo: lowerPayTo, maxTimeoutSeconds: 60 }),
      {},
    );
    expect(result.x402Version).toBe(2);
    expect(Object.keys(result)).toEqual(["x402Version", "payload"]);
    const payload = result.payload as unknown as ExactEvmPayload;
    expect(isExactEvmPayload(payload)).toBe(true);
    const { authorization: a } = payload;
    expect(a.to).toBe(PAY_TO); // checksummed
    expect(a.from).toBe(account.address);
    expect(a.value).toBe("10000");
    expect(a.validAfter).toBe("0");
    expect(Number(a.validBefore) - before).toBeGreaterThanOrEqual(60);
    expect(Number(a.validBefore) - before).toBeLessThanOrEqual(61);
    expect(a.nonce).toMatch(/^0x[0-9a-f]{64}$/);
    const recovered = await recoverTypedDataAddress({
      ...transferWithAuthorizationTypedData(
        { name: "USDC", version: "2", chainId: 84532, verifyingContract: ASSET },
        { ...a, value: 10000n, validAfter: 0n, validBefore: BigInt(a.validBefore) },
      ),
      signature: payload.signature,
    });
    expect(recovered).toBe(account.address);
  });

  it("uses a fresh nonce for every payment", async () => {
    const client = new ExactEvmClient(account);
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const { payload } = await client.createPaymentPayload(2, requirements(), {});
      nonces.add((payload as unknown as ExactEvmPayload).authorization.nonce);
    }
    expect(nonces.size).toBe(5);
  });

  it.each([
    ["no extra", { extra: undefined }],
    ["no name", { extra: { version: "2" } }],
    ["no version", { extra: { name: "USDC" } }],
    ["a non-EVM network", { network: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp" as const }],
    ["a bad payTo", { payTo: "not-an-address" }],
    ["a bad asset", { asset: "0x1234" }],
  ])("refuses requirements with %s", async (_label, overrides) => {
    const error = await new ExactEvmClient(account)
      .createPaymentPayload(2, requirements(overrides as Partial<PaymentRequirements>), {})
      .catch((e: unknown) => e);
    expect(isX402Error(error, "invalid_payment_requirements")).toBe(true);
  });

  it("describes default stablecoins as USD assets", () => {
    const client = new ExactEvmClient(account);
    expect(client.describeAsset("eip155:84532", ASSET.toLowerCase())).toEqual({
      decimals: 6,
      symbol: "USDC",
      usd: true,
    });
    expect(client.describeAsset("eip155:8453", ASSET)).toBeUndefined();
  });

  it("registers on eip155:* by default", () => {
    const calls: Array<[string, string]> = [];
    const engine = {
      register: (network: string, scheme: { scheme: string }) => calls.push([network, scheme.scheme]),
    };
    expect(registerExactEvmClient(engine, { signer: account })).toBe(engine);
    registerExactEvmClient(engine, { signer: account, networks: ["eip155:8453"] });
    expect(calls).toEqual([
      ["eip155:*", "exact"],
      ["eip155:8453", "exact"],
    ]);
  });
});
