import { isX402Error, type PaymentRequirements } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { decodeFunctionData, hashTypedData, maxUint256, parseAbi, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createPermit2ApprovalTx,
  ExactEvmScheme,
  getPermit2AllowanceReadParams,
  registerExactEvmScheme,
  toClientEvmSigner,
} from "../src/exact/client/index.js";
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

describe("ExactEvmScheme (client)", () => {
  it("reproduces the reference signature of exact-evm.md §7", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime((1_900_000_000 - 300) * 1000);
    vi.spyOn(crypto, "getRandomValues").mockImplementation((array) => {
      (array as Uint8Array).fill(0x11);
      return array;
    });
    const result = await new ExactEvmScheme(account).createPaymentPayload(2, requirements(), {});
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
    const result = await new ExactEvmScheme(account).createPaymentPayload(
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
    const client = new ExactEvmScheme(account);
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
    const error = await new ExactEvmScheme(account)
      .createPaymentPayload(2, requirements(overrides as Partial<PaymentRequirements>), {})
      .catch((e: unknown) => e);
    expect(isX402Error(error, "invalid_payment_requirements")).toBe(true);
  });

  it("finds the default stablecoins (spend controls price them in USD)", () => {
    const scheme = new ExactEvmScheme(account);
    expect(scheme.findDefaultAsset(ASSET.toLowerCase(), "eip155:84532")).toEqual({
      asset: ASSET,
      decimals: 6,
      symbol: "USDC",
    });
    expect(scheme.findDefaultAsset(ASSET, "eip155:8453")).toBeUndefined();
  });

  it("is paid through x402Client within the default $1 cap, and refused above it", async () => {
    const client = new x402Client().register("eip155:*", new ExactEvmScheme(account));
    const required = (amount: string) => ({
      x402Version: 2 as const,
      resource: { url: "http://shop.test/item" },
      accepts: [requirements({ amount })],
    });
    const payload = await client.createPaymentPayload(required("1000000"));
    expect((payload.payload as unknown as ExactEvmPayload).authorization.value).toBe("1000000");
    await expect(client.createPaymentPayload(required("1000001"))).rejects.toMatchObject({
      code: "spending_limit_exceeded",
    });
  });

  it("registerExactEvmScheme registers eip155:* (or the given networks) and the policies", async () => {
    const client = registerExactEvmScheme(new x402Client(), { signer: account });
    const onBase = {
      ...requirements(),
      network: "eip155:8453" as const,
      asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
    };
    const required = { x402Version: 2 as const, resource: { url: "http://x.test/" }, accepts: [onBase] };
    await expect(client.createPaymentPayload(required)).resolves.toBeDefined();

    const onlySepolia = registerExactEvmScheme(new x402Client(), {
      signer: account,
      networks: ["eip155:84532"],
      policies: [(_version, reqs) => reqs.filter((r) => r.payTo !== PAY_TO)],
    });
    await expect(onlySepolia.createPaymentPayload(required)).rejects.toMatchObject({
      code: "no_matching_requirements",
    });
    await expect(
      onlySepolia.createPaymentPayload({ ...required, accepts: [requirements()] }),
    ).rejects.toThrow(/filtered out by policies/);
  });

  it("toClientEvmSigner borrows the reads an account lacks from a public client", async () => {
    const reads: string[] = [];
    const publicClient = {
      readContract: async (args: { functionName: string }) => reads.push(args.functionName),
      getTransactionCount: async () => 7,
    };
    const signer = toClientEvmSigner(account, publicClient);
    expect(signer.address).toBe(account.address);
    await signer.readContract?.({ address: ASSET, abi: [], functionName: "allowance" });
    expect(reads).toEqual(["allowance"]);
    expect(await signer.getTransactionCount?.({ address: account.address })).toBe(7);
    // A signer made this way signs exactly as the account does.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime((1_900_000_000 - 300) * 1000);
    vi.spyOn(crypto, "getRandomValues").mockImplementation((array) => {
      (array as Uint8Array).fill(0x11);
      return array;
    });
    const result = await new ExactEvmScheme(signer).createPaymentPayload(2, requirements(), {});
    expect((result.payload as unknown as ExactEvmPayload).signature).toBe(VECTOR_SIGNATURE);
  });

  it("builds the Permit2 approval transaction and allowance read of the official helpers", () => {
    const permit2 = "0x000000000022D473030F116dDEE9F6B43aC78BA3";
    const tx = createPermit2ApprovalTx(ASSET);
    expect(tx.to).toBe(ASSET);
    expect(tx.data.slice(0, 10)).toBe("0x095ea7b3"); // approve(address,uint256)
    const decoded = decodeFunctionData({
      abi: parseAbi(["function approve(address,uint256)"]),
      data: tx.data,
    });
    expect(decoded.args).toEqual([permit2, maxUint256]);
    const read = getPermit2AllowanceReadParams({ tokenAddress: ASSET, ownerAddress: account.address });
    expect(read).toMatchObject({
      address: ASSET,
      functionName: "allowance",
      args: [account.address, permit2],
    });
  });
});
