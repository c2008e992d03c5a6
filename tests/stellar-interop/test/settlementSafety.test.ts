import { Keypair, TransactionBuilder, xdr } from "@stellar/stellar-sdk";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { MemoryStore } from "@x402kit/core/storage";
import { createEd25519Signer, ExactStellarReason as R } from "@x402kit/stellar";
import { ExactStellarScheme as OurClient } from "@x402kit/stellar/exact/client";
import {
  type ExactStellarSchemeConfig,
  ExactStellarScheme as OurFacilitator,
} from "@x402kit/stellar/exact/facilitator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRpcProxy } from "../src/rpcProxy.js";
import { PRICE, requirementsOf, type StellarStack, startStellarStack } from "../src/stellarStack.js";
import { authOf, tamper } from "../src/tamper.js";

// What a payment may cost the facilitator, and what happens to the payer's money when the
// network path or the store fails: on the local Soroban RPC stand-in, which enforces declared
// resources and sequence numbers as a validator does.
let stack: StellarStack;
let requirements: PaymentRequirements;

beforeAll(async () => {
  stack = await startStellarStack();
  requirements = requirementsOf(stack) as unknown as PaymentRequirements;
});
afterAll(async () => {
  await stack?.stop();
});

async function pay(overrides: Record<string, unknown> = {}): Promise<PaymentPayload> {
  const accepted = { ...requirements, ...overrides } as PaymentRequirements;
  const client = new OurClient(createEd25519Signer(stack.payer.secret(), stack.network), {
    url: stack.devnet.rpcUrl,
  });
  const created = await client.createPaymentPayload(2, accepted);
  return {
    ...created,
    accepted,
    resource: { url: "http://127.0.0.1/paid", description: "", mimeType: "" },
  } as PaymentPayload;
}

/** A facilitator with its own fresh account (and fee-bump account when asked). */
function facilitator(config: ExactStellarSchemeConfig & { bump?: boolean; url?: string } = {}) {
  const { bump, url, ...rest } = config;
  const signer = stack.devnet.createAccount();
  const bumper = bump ? stack.devnet.createAccount() : undefined;
  const scheme = new OurFacilitator([createEd25519Signer(signer.secret(), stack.network)], {
    rpcConfig: { url: url ?? stack.devnet.rpcUrl, timeoutMs: 500 },
    pollIntervalMs: 20,
    ...(bumper ? { feeBumpSigner: createEd25519Signer(bumper.secret(), stack.network) } : {}),
    ...rest,
  });
  return { scheme, signer, bumper, payer: bumper ?? signer };
}

const received = () => stack.devnet.balance(stack.usdc, stack.payTo.publicKey());
const paid = () => stack.devnet.balance(stack.usdc, stack.payer.publicKey());
const sends = () => stack.devnet.calls.get("sendTransaction") ?? 0;
const sorobanData = (tx: xdr.Transaction) => tx.ext().sorobanData();

describe("the client's declared Soroban resources are not trusted", () => {
  it("a low resource fee, an empty footprint and zero instructions: settled with the simulation's resources, 3 times", async () => {
    const { scheme, payer } = facilitator();
    const before = { received: received(), fee: stack.devnet.nativeBalance(payer.publicKey()) };
    for (let i = 0; i < 3; i++) {
      const payment = tamper(await pay(), (tx) => {
        sorobanData(tx).resourceFee(xdr.Int64.fromString("20000"));
        sorobanData(tx)
          .resources()
          .footprint(new xdr.LedgerFootprint({ readOnly: [], readWrite: [] }));
        sorobanData(tx).resources().instructions(0);
      });
      expect(await scheme.verify(payment, requirements)).toMatchObject({ isValid: true });
      const settled = await scheme.settle(payment, requirements);
      expect(settled, JSON.stringify(settled)).toMatchObject({ success: true });
    }
    expect(received()).toBe(before.received + 3n * BigInt(PRICE));
    expect(stack.devnet.nativeBalance(payer.publicKey())).toBe(
      before.fee - 3n * (100n + stack.devnet.ledger.minResourceFee),
    );
  });

  it("a fee that does not cover the simulation's resource fee plus an inclusion fee is refused before submission", async () => {
    const { scheme } = facilitator();
    // Covers its own declared resource fee, not the simulation's 25,000 + 100.
    const payment = tamper(await pay(), (tx) => {
      tx.fee(25_050);
      sorobanData(tx).resourceFee(xdr.Int64.fromString("24000"));
    });
    const sent = sends();
    expect(await scheme.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: R.FeeBelowMinimum,
    });
    expect(await scheme.settle(payment, requirements)).toMatchObject({ errorReason: R.FeeBelowMinimum });
    expect(sends()).toBe(sent);
  });

  it("a negative resource fee is malformed", async () => {
    const { scheme } = facilitator();
    const payment = tamper(await pay(), (tx) => {
      tx.fee(50_000);
      sorobanData(tx).resourceFee(xdr.Int64.fromString("-1000000000"));
    });
    expect(await scheme.verify(payment, requirements)).toMatchObject({ invalidReason: R.Malformed });
  });
});

describe("fee bump", () => {
  it.each([
    [50_000, 50_000],
    [50_000, 30_000],
  ])("the outer fee stays within the client's fee %i and the bound %i", async (clientFee, bound) => {
    const { scheme, payer } = facilitator({ bump: true, maxTransactionFeeStroops: bound });
    const payment = tamper(await pay(), (tx) => tx.fee(Math.min(clientFee, bound)));
    const before = stack.devnet.nativeBalance(payer.publicKey());
    const settled = await scheme.settle(payment, requirements);
    expect(settled, JSON.stringify(settled)).toMatchObject({ success: true });
    const record = stack.devnet.ledger.transactions.get(settled.transaction)!;
    const envelope = TransactionBuilder.fromXDR(record.envelopeXdr, stack.devnet.networkPassphrase);
    expect(record.feeBump).toBe(true);
    expect(Number(envelope.fee)).toBeLessThanOrEqual(Math.min(clientFee, bound));
    expect(before - stack.devnet.nativeBalance(payer.publicKey())).toBeLessThanOrEqual(bound);
  });

  it("a bound below what a fee bump needs is refused at verify", async () => {
    const { scheme } = facilitator({ bump: true, maxTransactionFeeStroops: 25_150 });
    expect(await scheme.verify(await pay(), requirements)).toMatchObject({
      invalidReason: R.FeeExceedsMaximum,
    });
  });
});

describe("sequence numbers recover", () => {
  it.each([false, true])("after the account's number moved elsewhere (fee bump: %s)", async (bump) => {
    const { scheme, signer } = facilitator({ bump });
    expect((await scheme.settle(await pay(), requirements)).success).toBe(true);
    // Another process used the account: the locally kept number is now behind.
    stack.devnet.ledger.accounts.get(signer.publicKey())!.sequence += 3n;
    const before = received();
    const second = await scheme.settle(await pay(), requirements);
    expect(second, JSON.stringify(second)).toMatchObject({ success: true });
    expect((await scheme.settle(await pay(), requirements)).success).toBe(true);
    expect(received()).toBe(before + 2n * BigInt(PRICE));
  });
});

describe("the payer's money is never taken without a receipt", () => {
  it("a store that cannot record the settlement: nothing is sent, a retry settles", async () => {
    const store = new MemoryStore();
    // A test double: the real store, except that settlement records cannot be written.
    const failing = new Proxy(store, {
      get(target, property) {
        if (property === "set")
          return async (key: string, value: string, options?: { ttlMs?: number }) => {
            if (key.includes("settlement:")) throw new Error("store down");
            return target.set(key, value, options);
          };
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const { scheme } = facilitator({ store: failing });
    const payment = await pay();
    const before = { paid: paid(), sent: sends() };
    const refused = await scheme.settle(payment, requirements);
    expect(refused).toMatchObject({ success: false, errorReason: R.UnexpectedSettleError });
    expect(refused.errorMessage).toMatch(/not sent/);
    expect(sends()).toBe(before.sent);
    expect(paid()).toBe(before.paid);
    const retried = await facilitator({ store }).scheme.settle(payment, requirements);
    expect(retried, JSON.stringify(retried)).toMatchObject({ success: true });
    expect(paid()).toBe(before.paid - BigInt(PRICE));
  });

  it("a retry after the authorization expired still answers the settlement that landed", async () => {
    const store = new MemoryStore();
    let failures = 1;
    // A test double: the real store, except that the first final answer cannot be written.
    const flaky = new Proxy(store, {
      get(target, property) {
        if (property === "set")
          return async (key: string, value: string, options?: { ttlMs?: number }) => {
            if (value.includes('"response"') && failures-- > 0) throw new Error("store down");
            return target.set(key, value, options);
          };
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const { scheme } = facilitator({ store: flaky });
    const short = { ...requirements, maxTimeoutSeconds: 5 } as PaymentRequirements;
    const payment = await pay({ maxTimeoutSeconds: 5 });
    const before = received();
    const unrecorded = await scheme.settle(payment, short);
    expect(unrecorded).toMatchObject({ success: false, errorReason: R.SettlementPending });
    for (let i = 0; i < 4; i++) stack.devnet.closeLedger(); // the payer's authorization expires
    const retried = await scheme.settle(payment, short);
    expect(retried, JSON.stringify(retried)).toMatchObject({
      success: true,
      transaction: unrecorded.transaction,
    });
    expect(received()).toBe(before + BigInt(PRICE));
  });

  it("a sendTransaction whose answer never comes: the RPC call times out and settle follows the recorded hash", async () => {
    const proxy = await startRpcProxy(stack.devnet.rpcUrl, "forwardNoAnswer");
    try {
      const { scheme } = facilitator({ url: proxy.url });
      const before = received();
      const settled = await scheme.settle(await pay(), requirements);
      expect(settled, JSON.stringify(settled)).toMatchObject({ success: true });
      expect(proxy.sent()).toBe(1);
      expect(received()).toBe(before + BigInt(PRICE));
    } finally {
      await proxy.close();
    }
  });

  it("lost on the way: another instance sharing the store sends the recorded envelope again and settles once", async () => {
    const store = new MemoryStore();
    const proxy = await startRpcProxy(stack.devnet.rpcUrl, "drop");
    try {
      const first = facilitator({ url: proxy.url, store, settleTimeoutMs: 200 });
      const payment = await pay();
      const before = { received: received(), applied: stack.devnet.ledger.transactions.size };
      const pending = await first.scheme.settle(payment, requirements);
      expect(pending).toMatchObject({ success: false, errorReason: R.SettlementPending });
      expect(pending.transaction).toMatch(/^[0-9a-f]{64}$/);
      expect(stack.devnet.ledger.transactions.size).toBe(before.applied);
      const second = facilitator({ store });
      const settled = await second.scheme.settle(payment, requirements);
      expect(settled, JSON.stringify(settled)).toMatchObject({
        success: true,
        transaction: pending.transaction,
      });
      // Settled: any later copy is a replay.
      expect(await second.scheme.settle(payment, requirements)).toMatchObject({ success: false });
      expect(received()).toBe(before.received + BigInt(PRICE));
      expect(stack.devnet.ledger.transactions.size).toBe(before.applied + 1);
    } finally {
      await proxy.close();
    }
  });

  it("a recorded transaction not found after its time bound is final (failed), not pending", async () => {
    const proxy = await startRpcProxy(stack.devnet.rpcUrl, "drop");
    try {
      const short = { ...requirements, maxTimeoutSeconds: 1 } as PaymentRequirements;
      const { scheme } = facilitator({ url: proxy.url, settleTimeoutMs: 100 });
      const payment = await pay({ maxTimeoutSeconds: 1 });
      expect(await scheme.settle(payment, short)).toMatchObject({ errorReason: R.SettlementPending });
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      stack.devnet.closeLedger(); // a ledger closes after the transaction's time bound
      const final = await scheme.settle(payment, short);
      expect(final).toMatchObject({ success: false, errorReason: R.TransactionFailed });
      expect(final.errorMessage).toMatch(/expired/);
      expect(await scheme.settle(payment, short)).toMatchObject({ errorReason: R.TransactionFailed });
    } finally {
      await proxy.close();
    }
  });
});

describe("only the payer's authorization entry", () => {
  it("an extra signed entry put first is malformed; the server's payment id stays the payer's", async () => {
    const { scheme } = facilitator();
    const original = await pay();
    const payment = tamper(original, (tx) => {
      const op = tx.operations()[0]!.body().invokeHostFunctionOp();
      const junk = xdr.SorobanAuthorizationEntry.fromXDR(authOf(tx)[0]!.toXDR());
      junk
        .credentials()
        .address()
        .address(xdr.ScAddress.scAddressTypeAccount(Keypair.random().xdrAccountId()));
      junk.credentials().address().nonce(xdr.Int64.fromString("12345"));
      op.auth([junk, ...op.auth()]);
    });
    const simulations = stack.devnet.calls.get("simulateTransaction") ?? 0;
    expect(await scheme.verify(payment, requirements)).toMatchObject({ invalidReason: R.Malformed });
    expect(stack.devnet.calls.get("simulateTransaction") ?? 0).toBe(simulations);
    const { ExactStellarScheme: Server } = await import("@x402kit/stellar/exact/server");
    expect(new Server().paymentId(payment)).toBe(new Server().paymentId(original));
  });

  it("a non-number maxTimeoutSeconds keeps the expiration bound", async () => {
    const { scheme } = facilitator();
    const farAway = await pay({ maxTimeoutSeconds: 6_000 });
    const malformed = { ...requirements, maxTimeoutSeconds: "abc" } as unknown as PaymentRequirements;
    expect(await scheme.verify(farAway, malformed)).toMatchObject({ invalidReason: R.ExpirationTooFar });
  });
});
