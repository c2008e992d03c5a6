import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { createPublicClient, custom, http } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExactEvmScheme } from "../src/exact/facilitator/index.js";
import { ExactEvmReason as R } from "../src/index.js";
import { signPayment } from "./helpers.js";

// Concurrent verifications on anvil share Multicall3 simulations: fewer RPC calls than payments,
// and each payment still gets its own answer (a poor payer or a used nonce among good ones).
let devnet: Devnet;
let requirements: PaymentRequirements;
const payers: PrivateKeyAccount[] = Array.from({ length: 12 }, () =>
  privateKeyToAccount(generatePrivateKey()),
);
const poor = privateKeyToAccount(generatePrivateKey());

beforeAll(async () => {
  devnet = await startDevnet({
    fund: [...payers.map(({ address }) => ({ address })), { address: poor.address, amount: 1n }],
  });
  requirements = {
    scheme: "exact",
    network: devnet.network,
    amount: "10000",
    asset: devnet.usdc.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 300,
    extra: { name: devnet.usdc.name, version: devnet.usdc.version },
  };
});

afterAll(async () => {
  await devnet?.stop();
});

/** Our facilitator over a transport that counts `eth_call`s (the simulations). */
function countingFacilitator() {
  const inner = http(devnet.rpcUrl)({ chain: devnet.chain });
  const calls: string[] = [];
  const transport = custom({
    request: ({ method, params }: { method: string; params?: unknown }) => {
      calls.push(method);
      return inner.request({ method, params } as never);
    },
  });
  const publicClient = createPublicClient({ chain: devnet.chain, transport });
  const walletClient = devnet.walletClient(devnet.accounts.facilitator);
  return { calls, facilitator: new ExactEvmScheme({ walletClient, publicClient: publicClient as never }) };
}

describe("batched verification on anvil", () => {
  it("verifies 12 concurrent payments of different payers in fewer eth_calls, each answered on its own", async () => {
    const { calls, facilitator } = countingFacilitator();
    // Warm the caches (the asset's code, Multicall3's presence).
    await facilitator.verify(await signPayment(payers[0] as PrivateKeyAccount, requirements), requirements);
    await Promise.all(
      [1, 2].map(async (i) =>
        facilitator.verify(await signPayment(payers[i] as PrivateKeyAccount, requirements), requirements),
      ),
    );
    const good = await Promise.all(payers.map((payer) => signPayment(payer, requirements)));
    const broke = await signPayment(poor, requirements);
    calls.length = 0;
    const results = await Promise.all(
      [...good, broke].map((payment) => facilitator.verify(payment, requirements)),
    );
    expect(results.slice(0, 12).every((result) => result.isValid)).toBe(true);
    expect(results[12]).toMatchObject({
      isValid: false,
      invalidReason: R.InsufficientBalance,
      payer: poor.address,
    });
    const ethCalls = calls.filter((method) => method === "eth_call").length;
    // One aggregate3 for the 13 simulations, plus the failure diagnosis of the poor payer (4 reads).
    expect(ethCalls).toBeLessThanOrEqual(6);
  });

  it("never batches two payments of one payer: both valid alone, both answered valid together", async () => {
    const { facilitator } = countingFacilitator();
    const payer = payers[3] as PrivateKeyAccount;
    const balance = await devnet.balanceOf(payer.address);
    const all = { ...requirements, amount: String(balance) };
    const [first, second] = await Promise.all([signPayment(payer, all), signPayment(payer, all)]);
    const results = await Promise.all(
      [first, second].map((p) => facilitator.verify(p as PaymentPayload, all)),
    );
    expect(results.map((r) => r.isValid)).toEqual([true, true]);
  });

  it("answers nonce_already_used for a settled payment verified among fresh ones", async () => {
    const { facilitator } = countingFacilitator();
    const settledPayment = await signPayment(payers[4] as PrivateKeyAccount, requirements);
    expect((await facilitator.settle(settledPayment, requirements)).success).toBe(true);
    const fresh = await Promise.all(payers.slice(5).map((payer) => signPayment(payer, requirements)));
    const results = await Promise.all(
      [settledPayment, ...fresh].map((payment) => facilitator.verify(payment, requirements)),
    );
    expect(results[0]?.invalidReason).toBe(R.NonceAlreadyUsed);
    expect(results.slice(1).every((result) => result.isValid)).toBe(true);
  });
});
