import {
  Account,
  Address,
  authorizeEntry,
  Keypair,
  Networks,
  nativeToScVal,
  Operation,
  SorobanDataBuilder,
  StrKey,
  TransactionBuilder,
  xdr,
} from "@stellar/stellar-sdk";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { describe, expect, it } from "vitest";
import { authorizationIdOf } from "../src/exact/authorizationId.js";
import { checkAuthorization } from "../src/exact/facilitator/checkAuthorization.js";
import { checkTransferEvents } from "../src/exact/facilitator/checkSimulation.js";
import {
  type CheckedTransaction,
  checkTransaction,
  isRefusal,
  timeoutSecondsOf,
} from "../src/exact/facilitator/checkTransaction.js";
import { ExactStellarScheme as FacilitatorScheme } from "../src/exact/facilitator/index.js";
import { settlementFees } from "../src/exact/facilitator/settlementFees.js";
import { createEd25519Signer, ExactStellarReason as R } from "../src/index.js";

// The facilitator's offline checks on transactions built here, without any RPC: each refusal
// branch on its own.
const NETWORK = "stellar:testnet";
const PASSPHRASE = Networks.TESTNET;
const asset = StrKey.encodeContract(Buffer.alloc(32, 7));
const payer = Keypair.random();
const payTo = Keypair.random();
const facilitatorKey = Keypair.random();
const LEDGER = 5_000;
const OFFSET = 12;

const requirements = {
  scheme: "exact",
  network: NETWORK,
  amount: "100000",
  asset,
  payTo: payTo.publicKey(),
  maxTimeoutSeconds: 60,
  extra: { areFeesSponsored: true },
} as PaymentRequirements;

const transferArgs = (from = payer.publicKey()) => [
  nativeToScVal(from, { type: "address" }),
  nativeToScVal(payTo.publicKey(), { type: "address" }),
  nativeToScVal(100000n, { type: "i128" }),
];

function invocation(subInvocations: xdr.SorobanAuthorizedInvocation[] = []): xdr.SorobanAuthorizedInvocation {
  return new xdr.SorobanAuthorizedInvocation({
    function: xdr.SorobanAuthorizedFunction.sorobanAuthorizedFunctionTypeContractFn(
      new xdr.InvokeContractArgs({
        contractAddress: Address.fromString(asset).toScAddress(),
        functionName: "transfer",
        args: transferArgs(),
      }),
    ),
    subInvocations,
  });
}

/** An address-credentials entry of `signer` for the transfer, signed (or left unsigned). */
async function entryFor(
  signer: Keypair,
  options: {
    expiration?: number;
    nonce?: string;
    root?: xdr.SorobanAuthorizedInvocation;
    sign?: boolean;
  } = {},
): Promise<xdr.SorobanAuthorizationEntry> {
  const unsigned = new xdr.SorobanAuthorizationEntry({
    credentials: xdr.SorobanCredentials.sorobanCredentialsAddress(
      new xdr.SorobanAddressCredentials({
        address: Address.fromString(signer.publicKey()).toScAddress(),
        nonce: xdr.Int64.fromString(options.nonce ?? "42"),
        signatureExpirationLedger: 0,
        signature: xdr.ScVal.scvVoid(),
      }),
    ),
    rootInvocation: options.root ?? invocation(),
  });
  if (options.sign === false) return unsigned;
  return authorizeEntry(unsigned, signer, options.expiration ?? LEDGER + 10, PASSPHRASE);
}

function payment(
  auth: xdr.SorobanAuthorizationEntry[],
  options: { resourceFee?: string; source?: string; from?: string } = {},
): PaymentPayload {
  const tx = new TransactionBuilder(new Account(options.source ?? payer.publicKey(), "1"), {
    fee: "100",
    networkPassphrase: PASSPHRASE,
    sorobanData: new SorobanDataBuilder().setResourceFee(25_000).build(),
  })
    .addOperation(
      Operation.invokeContractFunction({
        contract: asset,
        function: "transfer",
        args: transferArgs(options.from),
        auth,
      }),
    )
    .setTimeout(60)
    .build();
  const envelope = tx.toEnvelope();
  if (options.resourceFee)
    envelope.v1().tx().ext().sorobanData().resourceFee(xdr.Int64.fromString(options.resourceFee));
  return {
    x402Version: 2,
    accepted: requirements,
    resource: { url: "http://127.0.0.1/paid", description: "", mimeType: "" },
    payload: { transaction: envelope.toXDR("base64") },
  } as PaymentPayload;
}

const addresses = new Set([facilitatorKey.publicKey()]);

function checked(auth: xdr.SorobanAuthorizationEntry[]): CheckedTransaction {
  const result = checkTransaction(payment(auth), requirements, addresses, 50_000);
  if (isRefusal(result)) throw new Error(result.message);
  return result;
}

const authorize = (auth: xdr.SorobanAuthorizationEntry[]) =>
  checkAuthorization(checked(auth), addresses, LEDGER, OFFSET);

describe("checkAuthorization", () => {
  it("accepts the payer's one signed entry, returning its nonce", async () => {
    expect(await authorize([await entryFor(payer)])).toEqual({ nonce: "42", expiration: LEDGER + 10 });
  });

  it("refuses no auth entries", async () => {
    expect(await authorize([])).toMatchObject({ reason: R.NoAuthEntries });
  });

  it("refuses source-account credentials", async () => {
    const entry = new xdr.SorobanAuthorizationEntry({
      credentials: xdr.SorobanCredentials.sorobanCredentialsSourceAccount(),
      rootInvocation: invocation(),
    });
    expect(await authorize([entry])).toMatchObject({ reason: R.UnsupportedCredentialType });
  });

  it("refuses an expiration beyond now + timeout + 2 ledgers, accepts it at the bound", async () => {
    const bound = LEDGER + OFFSET + 2;
    expect(await authorize([await entryFor(payer, { expiration: bound + 1 })])).toMatchObject({
      reason: R.ExpirationTooFar,
    });
    expect(await authorize([await entryFor(payer, { expiration: bound })])).toMatchObject({
      expiration: bound,
    });
  });

  it("refuses an expired entry with the official reason", async () => {
    expect(await authorize([await entryFor(payer, { expiration: LEDGER })])).toMatchObject({
      reason: R.SimulationFailed,
    });
  });

  it("refuses sub-invocations", async () => {
    const root = invocation([invocation()]);
    expect(await authorize([await entryFor(payer, { root })])).toMatchObject({
      reason: R.HasSubinvocations,
    });
  });

  it("refuses an entry signed by another key", async () => {
    const forged = await entryFor(Keypair.random());
    forged.credentials().address().address(Address.fromString(payer.publicKey()).toScAddress());
    expect(await authorize([forged])).toMatchObject({ reason: R.SimulationFailed });
  });

  it("refuses a signed extra entry besides the payer's, before or after it", async () => {
    const extra = await entryFor(Keypair.random(), { nonce: "7", expiration: LEDGER + 1 });
    const own = await entryFor(payer);
    expect(await authorize([extra, own])).toMatchObject({ reason: R.Malformed });
    expect(await authorize([own, extra])).toMatchObject({ reason: R.Malformed });
  });

  it("keeps the official reasons for an unsigned extra entry and a facilitator entry", async () => {
    const own = await entryFor(payer);
    expect(await authorize([own, await entryFor(Keypair.random(), { sign: false })])).toMatchObject({
      reason: R.UnexpectedPendingSignatures,
    });
    expect(await authorize([own, await entryFor(facilitatorKey)])).toMatchObject({
      reason: R.FacilitatorInAuth,
    });
  });
});

describe("checkTransaction", () => {
  it("refuses a v0 envelope as malformed", async () => {
    const v1 = xdr.TransactionEnvelope.fromXDR(
      (payment([await entryFor(payer)]).payload as { transaction: string }).transaction,
      "base64",
    )
      .v1()
      .tx();
    const v0 = xdr.TransactionEnvelope.envelopeTypeTxV0(
      new xdr.TransactionV0Envelope({
        tx: new xdr.TransactionV0({
          sourceAccountEd25519: v1.sourceAccount().ed25519(),
          fee: v1.fee(),
          seqNum: v1.seqNum(),
          timeBounds: v1.cond().timeBounds(),
          memo: v1.memo(),
          operations: v1.operations(),
          ext: new xdr.TransactionV0Ext(0),
        }),
        signatures: [],
      }),
    );
    const paid = { ...payment([]), payload: { transaction: v0.toXDR("base64") } } as PaymentPayload;
    expect(checkTransaction(paid, requirements, addresses, 50_000)).toMatchObject({ reason: R.Malformed });
  });

  it("refuses a negative declared resource fee as malformed", async () => {
    const paid = payment([await entryFor(payer)], { resourceFee: "-1000000000" });
    expect(checkTransaction(paid, requirements, addresses, 50_000)).toMatchObject({
      reason: R.Malformed,
      message: expect.stringMatching(/negative/),
    });
  });

  it("treats the fee-bump account as a facilitator account (no RPC reached)", async () => {
    const bumper = Keypair.random();
    const facilitator = new FacilitatorScheme([createEd25519Signer(facilitatorKey.secret())], {
      rpcConfig: { url: "http://127.0.0.1:9", timeoutMs: 1000 },
      feeBumpSigner: createEd25519Signer(bumper.secret()),
    });
    const asSource = payment([await entryFor(payer)], { source: bumper.publicKey() });
    expect(await facilitator.verify(asSource, requirements)).toMatchObject({ invalidReason: R.UnsafeSource });
    const asPayer = payment([await entryFor(payer)], { from: bumper.publicKey() });
    expect(await facilitator.verify(asPayer, requirements)).toMatchObject({
      invalidReason: R.FacilitatorIsPayer,
    });
  });

  it("a malformed maxTimeoutSeconds falls back to 60 s instead of disabling the bounds", () => {
    expect(timeoutSecondsOf({ ...requirements, maxTimeoutSeconds: "abc" as never })).toBe(60);
    expect(timeoutSecondsOf({ ...requirements, maxTimeoutSeconds: Number.NaN })).toBe(60);
    expect(timeoutSecondsOf({ ...requirements, maxTimeoutSeconds: -5 })).toBe(60);
    expect(timeoutSecondsOf({ ...requirements, maxTimeoutSeconds: 30 })).toBe(30);
  });
});

describe("authorizationIdOf", () => {
  it("names the payer's entry even when another entry comes first", async () => {
    const own = await entryFor(payer, { nonce: "42" });
    const junk = await entryFor(Keypair.random(), { nonce: "9" });
    const id = `${NETWORK}:${asset}:${payer.publicKey()}:42`;
    expect(authorizationIdOf(payment([own]))).toBe(id);
    expect(authorizationIdOf(payment([junk, own]))).toBe(id);
  });
});

describe("settlementFees", () => {
  const base = { resourceFee: 25_000n, maxFeeStroops: 50_000n };
  it("bids the client's fee without a fee bump", () => {
    expect(settlementFees({ ...base, clientFee: 25_100n, feeBump: false })).toEqual({
      innerFee: 25_100n,
      total: 25_100n,
    });
  });

  it("keeps a fee bump's total within the client's fee and the bound", () => {
    expect(settlementFees({ ...base, clientFee: 50_000n, feeBump: true })).toEqual({
      innerFee: 25_100n,
      bumpRate: 12_500n,
      total: 50_000n,
    });
    // The least a bump bids (two inclusion fees) when the client's fee leaves one.
    expect(settlementFees({ ...base, clientFee: 25_100n, feeBump: true })).toMatchObject({ total: 25_200n });
    expect(
      settlementFees({ ...base, maxFeeStroops: 25_150n, clientFee: 25_100n, feeBump: true }),
    ).toMatchObject({ reason: R.FeeExceedsMaximum });
  });

  it("refuses a fee below the resource fee plus an inclusion fee, and a negative resource fee", () => {
    expect(settlementFees({ ...base, clientFee: 25_099n, feeBump: false })).toMatchObject({
      reason: R.FeeBelowMinimum,
    });
    expect(settlementFees({ ...base, resourceFee: -1n, clientFee: 200n, feeBump: false })).toMatchObject({
      reason: R.Malformed,
    });
  });
});

describe("checkTransferEvents", () => {
  const from = payer.publicKey();
  const to = payTo.publicKey();
  const event = (
    options: { name?: string; contract?: string | null; from?: string; to?: string; amount?: bigint } = {},
  ) =>
    new xdr.DiagnosticEvent({
      inSuccessfulContractCall: true,
      event: new xdr.ContractEvent({
        ext: new xdr.ExtensionPoint(0),
        contractId:
          options.contract === null
            ? null
            : (Address.fromString(options.contract ?? asset)
                .toScAddress()
                .contractId() as never),
        type: xdr.ContractEventType.contract(),
        body: new xdr.ContractEventBody(
          0,
          new xdr.ContractEventV0({
            topics: [
              xdr.ScVal.scvSymbol(options.name ?? "transfer"),
              nativeToScVal(options.from ?? from, { type: "address" }),
              nativeToScVal(options.to ?? to, { type: "address" }),
            ],
            data: nativeToScVal(options.amount ?? 100000n, { type: "i128" }),
          }),
        ),
      }),
    });
  const check = (events: xdr.DiagnosticEvent[]) => checkTransferEvents(events, from, to, 100000n, asset);
  const other = StrKey.encodeContract(Buffer.alloc(32, 9));

  it.each([
    ["one matching transfer", [event()], undefined],
    ["no events", [], R.NoTransferEvents],
    ["an event other than transfer", [event(), event({ name: "mint" })], R.EventNotTransfer],
    ["no contract id", [event({ contract: null })], R.EventMissingContractId],
    ["another contract", [event({ contract: other })], R.EventWrongAsset],
    ["two transfers", [event(), event()], R.MultipleTransfers],
    ["another sender", [event({ from: Keypair.random().publicKey() })], R.EventWrongFrom],
    ["another recipient", [event({ to: Keypair.random().publicKey() })], R.EventWrongTo],
    ["another amount", [event({ amount: 1n })], R.EventWrongAmount],
  ])("%s", (_name, events, reason) => {
    const result = check(events as xdr.DiagnosticEvent[]);
    if (reason === undefined) expect(result).toBeUndefined();
    else expect(result).toMatchObject({ reason });
  });

  it("ignores system and diagnostic events", () => {
    const system = event();
    system.event().type(xdr.ContractEventType.system());
    expect(check([system, event()])).toBeUndefined();
  });
});
