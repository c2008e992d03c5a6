import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { type KeyValueStore, MemoryStore } from "@x402kit/core/storage";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { toFacilitatorEvmSigner } from "@x402kit/evm";
import { UptoEvmScheme as UptoClient } from "@x402kit/evm/upto/client";
import { UptoEvmScheme as UptoFacilitator } from "@x402kit/evm/upto/facilitator";
import { parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExactEvmScheme as ExactEvmClientScheme, toClientEvmSigner } from "../src/exact/client/index.js";
import { ExactEvmScheme } from "../src/exact/facilitator/index.js";
import {
  createErc20ApprovalGasSponsoringExtension,
  createErc20ApprovalSponsorSigner,
  declareErc20ApprovalGasSponsoringExtension,
} from "../src/gasSponsoring/index.js";

let devnet: Devnet;

beforeAll(async () => {
  devnet = await startDevnet();
  await devnet.approvePermit2(devnet.accounts.payer, devnet.usdc.address);
}, 60_000);
afterAll(() => devnet?.stop());

const uptoRequirements = (amount = "10000"): PaymentRequirements => ({
  scheme: "upto",
  network: devnet.network,
  amount,
  asset: devnet.usdc.address,
  payTo: devnet.accounts.payTo.address,
  maxTimeoutSeconds: 120,
  extra: { assetTransferMethod: "permit2", facilitatorAddress: devnet.accounts.facilitator.address },
});

async function uptoPayment(
  privateKey = devnet.accounts.payer.privateKey,
  extensions: Record<string, unknown> = {},
): Promise<PaymentPayload> {
  const req = uptoRequirements();
  const client = new UptoClient(privateKeyToAccount(privateKey), { rpcUrl: devnet.rpcUrl });
  const result = await client.createPaymentPayload(2, req, { extensions });
  return {
    x402Version: 2,
    accepted: req,
    payload: result.payload,
    ...(result.extensions ? { extensions: result.extensions } : {}),
  };
}

/** Settle with automine off so the receipt wait times out: `settlement_pending`, then mine. */
async function pendingThenMined<T>(settle: () => Promise<T>): Promise<T> {
  await devnet.testClient.setAutomine(false);
  try {
    return await settle();
  } finally {
    await devnet.testClient.setAutomine(true);
    await devnet.testClient.mine({ blocks: 1 });
  }
}

describe("upto retries and the approval route", () => {
  it("concurrent retries of a pending settlement: one success, the others duplicate, one transfer", async () => {
    const facilitator = new UptoFacilitator(
      { walletClient: devnet.walletClient(devnet.accounts.facilitator) },
      { receiptTimeoutMs: 300 },
    );
    const payload = await uptoPayment();
    const req = uptoRequirements("1234");
    const before = await devnet.balanceOf(devnet.accounts.payTo.address);
    const first = await pendingThenMined(() => facilitator.settle(payload, req));
    expect(first.errorReason).toBe("settlement_pending");
    const retries = await Promise.all([1, 2, 3].map(() => facilitator.settle(payload, req)));
    expect(retries.filter((r) => r.success)).toHaveLength(1);
    expect(retries.filter((r) => r.errorReason === "duplicate_settlement")).toHaveLength(2);
    expect((await devnet.balanceOf(devnet.accounts.payTo.address)) - before).toBe(1234n);
  });

  it("a malformed nonce is a payload reason, not an unexpected error", async () => {
    const facilitator = new UptoFacilitator({
      walletClient: devnet.walletClient(devnet.accounts.facilitator),
    });
    const payload = await uptoPayment();
    const inner = payload.payload as { permit2Authorization: Record<string, unknown> };
    const bad = {
      ...payload,
      payload: { ...inner, permit2Authorization: { ...inner.permit2Authorization, nonce: "abc" } },
    };
    expect(await facilitator.settle(bad, uptoRequirements("5"))).toMatchObject({
      success: false,
      errorReason: "unsupported_payload_type",
    });
  });

  it("sponsored approvals and plain payments settled concurrently from one key: all succeed, no nonce clash", async () => {
    const signer = toFacilitatorEvmSigner({
      walletClient: devnet.walletClient(devnet.accounts.facilitator),
      publicClient: devnet.publicClient,
    });
    const engine = new x402Facilitator()
      .register(devnet.network, new UptoFacilitator(signer))
      .registerExtension(
        createErc20ApprovalGasSponsoringExtension(
          createErc20ApprovalSponsorSigner({ signer, publicClient: devnet.publicClient as never }),
        ),
      );
    const payments: PaymentPayload[] = [];
    for (let i = 0; i < 6; i++) {
      const key = generatePrivateKey();
      const address = privateKeyToAccount(key).address;
      await devnet.mint(address, 50_000n, devnet.usdc.address);
      const sponsored = i % 2 === 0;
      if (!sponsored) {
        await devnet
          .walletClient(devnet.accounts.other)
          .sendTransaction({ to: address, value: parseEther("1") });
        await devnet.approvePermit2({ address, privateKey: key } as never, devnet.usdc.address);
      }
      payments.push(await uptoPayment(key, sponsored ? declareErc20ApprovalGasSponsoringExtension() : {}));
    }
    const before = await devnet.balanceOf(devnet.accounts.payTo.address);
    const results = await Promise.all(payments.map((p) => engine.settle(p, uptoRequirements("1234"))));
    expect(results.map((r) => r.errorReason ?? "ok")).toEqual(Array(6).fill("ok"));
    expect((await devnet.balanceOf(devnet.accounts.payTo.address)) - before).toBe(6n * 1234n);
  });

  it("with a separate sponsor key the settle is still sent by the witness's facilitator", async () => {
    const sponsorKey = devnet.allAccounts[8] as (typeof devnet.allAccounts)[number];
    const engine = new x402Facilitator()
      .register(
        devnet.network,
        new UptoFacilitator({ walletClient: devnet.walletClient(devnet.accounts.facilitator) }),
      )
      .registerExtension(
        createErc20ApprovalGasSponsoringExtension(
          createErc20ApprovalSponsorSigner({
            walletClient: devnet.walletClient(sponsorKey),
            publicClient: devnet.publicClient as never,
          }),
        ),
      );
    const key = generatePrivateKey();
    await devnet.mint(privateKeyToAccount(key).address, 50_000n, devnet.usdc.address);
    const payment = await uptoPayment(key, declareErc20ApprovalGasSponsoringExtension());
    const settled = await engine.settle(payment, uptoRequirements("777"));
    expect(settled).toMatchObject({ success: true, amount: "777" });
    const tx = await devnet.publicClient.getTransaction({ hash: settled.transaction as `0x${string}` });
    expect(tx.from.toLowerCase()).toBe(devnet.accounts.facilitator.address.toLowerCase());
  });
});

describe("exact: another payment on a recorded authorization", () => {
  it("is answered duplicate_settlement without taking the authorization's guard", async () => {
    const claims: string[] = [];
    const memory = new MemoryStore();
    // A test double: the real in-memory store, noting which keys are claimed.
    const store: KeyValueStore = {
      get: (key) => memory.get(key),
      set: (key, value, options) => memory.set(key, value, options),
      claim: (key, value, options) => {
        claims.push(key);
        return memory.claim(key, value, options);
      },
      compareAndSet: (key, expected, value, options) => memory.compareAndSet(key, expected, value, options),
      delete: (key) => memory.delete(key),
      list: (prefix) => memory.list(prefix),
    };
    const facilitator = new ExactEvmScheme(
      { walletClient: devnet.walletClient(devnet.accounts.facilitator), publicClient: devnet.publicClient },
      { store },
    );
    const req: PaymentRequirements = {
      scheme: "exact",
      network: devnet.network,
      amount: "10000",
      asset: devnet.usdc.address,
      payTo: devnet.accounts.payTo.address,
      maxTimeoutSeconds: 120,
      extra: { assetTransferMethod: "permit2", name: devnet.usdc.name, version: devnet.usdc.version },
    };
    const signer = toClientEvmSigner(
      privateKeyToAccount(devnet.accounts.payer.privateKey),
      devnet.publicClient as never,
    );
    const result = await new ExactEvmClientScheme(signer).createPaymentPayload(2, req);
    const payment = { x402Version: 2, accepted: req, payload: result.payload } as PaymentPayload;
    const settled = await facilitator.settle(payment, req);
    expect(settled, JSON.stringify(settled)).toMatchObject({ success: true });
    // Same owner and nonce, another amount: another payment (digest) on that recorded authorization.
    const other = { ...req, amount: "9999" };
    const inner = payment.payload as { permit2Authorization: { permitted: Record<string, string> } };
    const copy = {
      ...payment,
      accepted: other,
      payload: {
        ...inner,
        permit2Authorization: {
          ...inner.permit2Authorization,
          permitted: { ...inner.permit2Authorization.permitted, amount: "9999" },
        },
      },
    } as PaymentPayload;
    claims.length = 0;
    expect(await facilitator.settle(copy, other)).toMatchObject({
      success: false,
      errorReason: "duplicate_settlement",
    });
    expect(claims).toEqual([]);
  });
});
