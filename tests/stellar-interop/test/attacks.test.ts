import { xdr } from "@stellar/stellar-sdk";
import { createEd25519Signer as officialSigner } from "@x402/stellar";
import { ExactStellarScheme as OfficialFacilitator } from "@x402/stellar/exact/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { MemoryStore } from "@x402kit/core/storage";
import { createEd25519Signer, ExactStellarReason as R } from "@x402kit/stellar";
import { ExactStellarScheme as OurClient } from "@x402kit/stellar/exact/client";
import { ExactStellarScheme as OurFacilitator } from "@x402kit/stellar/exact/facilitator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRICE, requirementsOf, type StellarStack, startStellarStack } from "../src/stellarStack.js";
import { addAuthFor, flipSignatureBit, setSource, tamper } from "../src/tamper.js";

// Attacks on our facilitator scheme, on the local Soroban RPC stand-in (stellar:testnet over
// HTTPS, so the official facilitator can judge the same payloads). Each bad payment must be
// refused by our own checks — the stand-in never simulates it — with the reason the official
// facilitator gives for it.
let stack: StellarStack;
let ours: OurFacilitator;
let official: OfficialFacilitator;
let requirements: PaymentRequirements;

beforeAll(async () => {
  stack = await startStellarStack({ testnet: true });
  const facilitatorSigner = createEd25519Signer(stack.facilitator.secret(), "stellar:testnet");
  ours = new OurFacilitator([facilitatorSigner], {
    rpcConfig: { url: stack.devnet.rpcUrl },
    pollIntervalMs: 20,
  });
  official = new OfficialFacilitator([officialSigner(stack.facilitator.secret(), "stellar:testnet")], {
    rpcConfig: { url: stack.devnet.rpcUrl },
  });
  requirements = requirementsOf(stack) as unknown as PaymentRequirements;
});
afterAll(async () => {
  await stack?.stop();
});

async function pay(
  overrides: Record<string, unknown> = {},
  secret = stack.payer.secret(),
): Promise<PaymentPayload> {
  const accepted = { ...requirements, ...overrides } as PaymentRequirements;
  const client = new OurClient(createEd25519Signer(secret, "stellar:testnet"), { url: stack.devnet.rpcUrl });
  const created = await client.createPaymentPayload(2, accepted);
  return {
    ...created,
    accepted,
    resource: { url: "http://127.0.0.1/paid", description: "", mimeType: "" },
  } as PaymentPayload;
}

const simulations = () => stack.devnet.calls.get("simulateTransaction") ?? 0;

/** Our verdict (and that the stand-in never simulated the payment), then the official verdict. */
async function judge(payment: PaymentPayload, required: PaymentRequirements = requirements) {
  const before = simulations();
  const ourVerdict = await ours.verify(payment, required);
  expect(simulations(), "our facilitator sent a bad payment to the stand-in").toBe(before);
  const settled = await ours.settle(payment, required);
  expect(settled.success).toBe(false);
  expect(settled.errorReason).toBe(ourVerdict.invalidReason);
  const officialVerdict = await official.verify(payment as never, required as never);
  return { ours: ourVerdict, official: officialVerdict };
}

describe("refused with the official reasons, before the stand-in sees them", () => {
  const cases: Array<[string, () => Promise<[PaymentPayload, PaymentRequirements?]>, string]> = [
    ["wrong amount", async () => [await pay(), { ...requirements, amount: "200000" }], R.WrongAmount],
    [
      "wrong asset",
      async () => [await pay(), { ...requirements, asset: stack.devnet.deployToken("EURC", 7) }],
      R.WrongAsset,
    ],
    [
      "wrong recipient",
      async () => [await pay(), { ...requirements, payTo: stack.devnet.createAccount().publicKey() }],
      R.WrongRecipient,
    ],
    [
      "facilitator as transaction source",
      async () => [tamper(await pay(), (tx) => setSource(tx, stack.facilitator))],
      R.UnsafeSource,
    ],
    [
      "facilitator in an auth entry",
      async () => [tamper(await pay(), (tx) => addAuthFor(tx, stack.facilitator))],
      R.FacilitatorInAuth,
    ],
    [
      "a fee above the facilitator's bound",
      async () => [tamper(await pay(), (tx) => tx.fee(1_000_000))],
      R.FeeExceedsMaximum,
    ],
    ["tampered auth signature", async () => [tamper(await pay(), flipSignatureBit)], R.SimulationFailed],
  ];
  for (const [name, build, reason] of cases)
    it(name, async () => {
      const [payment, required] = await build();
      const verdict = await judge(payment, required);
      expect(verdict.ours).toMatchObject({ isValid: false, invalidReason: reason });
      expect(verdict.official).toMatchObject({ isValid: false, invalidReason: reason });
    });

  it("the facilitator as payer", async () => {
    stack.devnet.mint(stack.usdc, stack.facilitator.publicKey(), 1_000_000n);
    const verdict = await judge(await pay({}, stack.facilitator.secret()));
    expect(verdict.ours).toMatchObject({ isValid: false, invalidReason: R.FacilitatorIsPayer });
    expect(verdict.official).toMatchObject({ isValid: false, invalidReason: R.FacilitatorIsPayer });
  });

  it("an expired authorization", async () => {
    const payment = await pay({ maxTimeoutSeconds: 5 });
    const expiration = xdr.TransactionEnvelope.fromXDR(
      (payment.payload as { transaction: string }).transaction,
      "base64",
    )
      .v1()
      .tx()
      .operations()[0]!
      .body()
      .invokeHostFunctionOp()
      .auth()[0]!
      .credentials()
      .address()
      .signatureExpirationLedger();
    while (stack.devnet.ledger.sequence < expiration) stack.devnet.closeLedger();
    const verdict = await judge(payment, payment.accepted);
    expect(verdict.ours).toMatchObject({ isValid: false, invalidReason: R.SimulationFailed });
    expect(verdict.ours.invalidMessage).toMatch(/expired/);
    expect(verdict.official).toMatchObject({ isValid: false, invalidReason: R.SimulationFailed });
  });
});

describe("one settlement per authorization", () => {
  it("a sequential replay is refused", async () => {
    const { devnet, usdc, payTo } = stack;
    const payment = await pay();
    const before = devnet.balance(usdc, payTo.publicKey());
    expect((await ours.settle(payment, requirements)).success).toBe(true);
    const again = await ours.settle(payment, requirements);
    expect(again).toMatchObject({ success: false, errorReason: R.SimulationFailed });
    expect(await ours.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: R.SimulationFailed,
    });
    expect(devnet.balance(usdc, payTo.publicKey())).toBe(before + BigInt(PRICE));
  });

  it("20 concurrent copies settle once, the facilitator pays one fee", async () => {
    const { devnet, usdc, payTo, facilitator } = stack;
    const payment = await pay();
    const before = {
      payTo: devnet.balance(usdc, payTo.publicKey()),
      fee: devnet.nativeBalance(facilitator.publicKey()),
    };
    const submitted = devnet.ledger.transactions.size;
    const results = await Promise.all(Array.from({ length: 20 }, () => ours.settle(payment, requirements)));
    expect(results.filter((r) => r.success)).toHaveLength(1);
    for (const failed of results.filter((r) => !r.success))
      expect([R.DuplicateSettlement, R.SimulationFailed]).toContain(failed.errorReason);
    expect(devnet.ledger.transactions.size).toBe(submitted + 1);
    expect(devnet.balance(usdc, payTo.publicKey())).toBe(before.payTo + BigInt(PRICE));
    expect(devnet.nativeBalance(facilitator.publicKey())).toBe(
      before.fee - 100n - devnet.ledger.minResourceFee,
    );
  });

  it("two facilitator instances sharing a store settle 20 concurrent copies once", async () => {
    const { devnet, usdc, payTo } = stack;
    const store = new MemoryStore();
    const other = devnet.createAccount();
    const options = { rpcConfig: { url: devnet.rpcUrl }, pollIntervalMs: 20, store };
    const first = new OurFacilitator(
      [createEd25519Signer(stack.facilitator.secret(), "stellar:testnet")],
      options,
    );
    const second = new OurFacilitator([createEd25519Signer(other.secret(), "stellar:testnet")], options);
    const payment = await pay();
    const before = devnet.balance(usdc, payTo.publicKey());
    const submitted = devnet.ledger.transactions.size;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).settle(payment, requirements)),
    );
    expect(results.filter((r) => r.success)).toHaveLength(1);
    expect(devnet.ledger.transactions.size).toBe(submitted + 1);
    expect(devnet.balance(usdc, payTo.publicKey())).toBe(before + BigInt(PRICE));
  });

  it("different payments settled concurrently from one account all land (sequence numbers kept locally)", async () => {
    const { devnet, usdc, payTo } = stack;
    const payments = await Promise.all(Array.from({ length: 5 }, () => pay()));
    const before = devnet.balance(usdc, payTo.publicKey());
    const results = await Promise.all(payments.map((p) => ours.settle(p, requirements)));
    expect(results.map((r) => r.success)).toEqual([true, true, true, true, true]);
    expect(devnet.balance(usdc, payTo.publicKey())).toBe(before + 5n * BigInt(PRICE));
  });
});

describe("fee bump", () => {
  it("a fee-bump account pays the fee, the signer only spends its sequence number", async () => {
    const { devnet, usdc, payTo } = stack;
    const signer = devnet.createAccount();
    const bumper = devnet.createAccount();
    const bumped = new OurFacilitator([createEd25519Signer(signer.secret(), "stellar:testnet")], {
      rpcConfig: { url: devnet.rpcUrl },
      pollIntervalMs: 20,
      feeBumpSigner: createEd25519Signer(bumper.secret(), "stellar:testnet"),
    });
    expect(bumped.getSigners("stellar:testnet")).toEqual([signer.publicKey(), bumper.publicKey()]);
    const payment = await pay();
    const before = {
      payTo: devnet.balance(usdc, payTo.publicKey()),
      signer: devnet.nativeBalance(signer.publicKey()),
      bumper: devnet.nativeBalance(bumper.publicKey()),
    };
    const settled = await bumped.settle(payment, requirements);
    expect(settled, JSON.stringify(settled)).toMatchObject({ success: true });
    expect(devnet.ledger.transactions.get(settled.transaction)?.feeBump).toBe(true);
    expect(devnet.balance(usdc, payTo.publicKey())).toBe(before.payTo + BigInt(PRICE));
    expect(devnet.nativeBalance(signer.publicKey())).toBe(before.signer);
    // One inclusion fee more than without the bump, as on Stellar.
    expect(devnet.nativeBalance(bumper.publicKey())).toBe(
      before.bumper - 200n - devnet.ledger.minResourceFee,
    );
  });
});
