import {
  Account,
  Keypair,
  Networks,
  Operation,
  type Transaction,
  TransactionBuilder,
  xdr,
} from "@stellar/stellar-sdk";
import { type StellarDevnet, startStellarDevnet } from "@x402kit/devnet/stellar";
import { createEd25519Signer, registerStellarNetwork } from "@x402kit/stellar";
import { ExactStellarScheme as OurClient } from "@x402kit/stellar/exact/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The local Soroban RPC stand-in on its own (no facilitator in front): it must refuse what a
// validator refuses, so a facilitator bug could not hide behind it.
let devnet: StellarDevnet;
let payer: Keypair;
let payTo: Keypair;
let submitter: Keypair;
let usdc: string;

beforeAll(async () => {
  devnet = await startStellarDevnet({ networkPassphrase: Networks.STANDALONE, closeOnSubmit: false });
  registerStellarNetwork("stellar:standin", {
    networkPassphrase: Networks.STANDALONE,
    estimatedLedgerSeconds: 5,
  });
  payer = devnet.createAccount();
  payTo = devnet.createAccount();
  submitter = devnet.createAccount();
  usdc = devnet.deployToken("USDC", 7);
  devnet.mint(usdc, payer.publicKey(), 10_000_000n);
});
afterAll(async () => {
  await devnet?.stop();
});

async function clientTransaction(maxTimeoutSeconds = 60): Promise<Transaction> {
  const client = new OurClient(createEd25519Signer(payer.secret(), "stellar:standin"), {
    url: devnet.rpcUrl,
  });
  const requirements = {
    scheme: "exact",
    network: "stellar:standin",
    amount: "1000",
    asset: usdc,
    payTo: payTo.publicKey(),
    maxTimeoutSeconds,
    extra: { areFeesSponsored: true },
  };
  const { payload } = await client.createPaymentPayload(2, requirements);
  return TransactionBuilder.fromXDR(payload.transaction as string, Networks.STANDALONE) as Transaction;
}

/** The client's invocation as `source`'s own transaction, signed by `signWith`. */
function wrap(
  tx: Transaction,
  source: Keypair,
  options: { sequenceOffset?: bigint; signWith?: Keypair; edit?: (tx: xdr.Transaction) => void } = {},
): string {
  const account = devnet.ledger.accounts.get(source.publicKey())!;
  const sequence = account.sequence + (options.sequenceOffset ?? 0n);
  const op = tx.toEnvelope().v1().tx().operations()[0]!.body().invokeHostFunctionOp();
  const built = new TransactionBuilder(new Account(source.publicKey(), sequence.toString()), {
    fee: tx.fee,
    networkPassphrase: Networks.STANDALONE,
    sorobanData: tx.toEnvelope().v1().tx().ext().sorobanData(),
  })
    .setTimeout(60)
    .addOperation(Operation.invokeHostFunction({ func: op.hostFunction(), auth: op.auth() }))
    .build();
  const envelope = built.toEnvelope();
  options.edit?.(envelope.v1().tx());
  const edited = TransactionBuilder.fromXDR(envelope, Networks.STANDALONE) as Transaction;
  edited.sign(options.signWith ?? source);
  return edited.toXDR();
}

/** `inner` (a signed envelope) in a fee bump paid by `feeSource`. */
function bump(inner: string, feeSource: Keypair): string {
  const tx = TransactionBuilder.fromXDR(inner, Networks.STANDALONE) as Transaction;
  const resourceFee = BigInt(tx.toEnvelope().v1().tx().ext().sorobanData().resourceFee().toString());
  const rate = (BigInt(tx.fee) - resourceFee).toString(); // the inner transaction's inclusion rate
  const bumped = TransactionBuilder.buildFeeBumpTransaction(feeSource, rate, tx, Networks.STANDALONE);
  bumped.sign(feeSource);
  return bumped.toXDR();
}

const sorobanData = (tx: xdr.Transaction) => tx.ext().sorobanData();
const innerCode = (errorResultXdr?: string) =>
  errorResultXdr &&
  xdr.TransactionResult.fromXDR(errorResultXdr, "base64")
    .result()
    .innerResultPair()
    .result()
    .result()
    .switch().name;

const resultCode = (errorResultXdr?: string) =>
  errorResultXdr && xdr.TransactionResult.fromXDR(errorResultXdr, "base64").result().switch().name;

describe("the stand-in refuses what a validator refuses", () => {
  it("a wrong envelope signature, a wrong sequence number, a duplicate submission", async () => {
    const tx = await clientTransaction();
    const forged = devnet.ledger.submit(wrap(tx, submitter, { signWith: payer }));
    expect(resultCode(forged.errorResultXdr)).toBe("txBadAuth");
    const skipped = devnet.ledger.submit(wrap(tx, submitter, { sequenceOffset: 5n }));
    expect(resultCode(skipped.errorResultXdr)).toBe("txBadSeq");
    const envelope = wrap(tx, submitter);
    expect(devnet.ledger.submit(envelope).status).toBe("PENDING");
    expect(devnet.ledger.submit(envelope).status).toBe("DUPLICATE");
    devnet.closeLedger();
  });

  it("a replayed authorization in a new transaction fails on chain (nonce used), fee charged", async () => {
    const tx = await clientTransaction();
    const first = devnet.ledger.submit(wrap(tx, submitter));
    devnet.closeLedger();
    expect(devnet.ledger.transactions.get(first.hash)?.status).toBe("SUCCESS");
    const balance = devnet.balance(usdc, payTo.publicKey());
    const fee = devnet.nativeBalance(submitter.publicKey());
    const replay = devnet.ledger.submit(wrap(tx, submitter));
    expect(replay.status).toBe("PENDING");
    devnet.closeLedger();
    const record = devnet.ledger.transactions.get(replay.hash);
    expect(record?.status).toBe("FAILED");
    expect(record?.error).toMatch(/nonce already used/);
    expect(devnet.balance(usdc, payTo.publicKey())).toBe(balance);
    expect(devnet.nativeBalance(submitter.publicKey())).toBe(fee - 100n - devnet.ledger.minResourceFee);
  });

  it("an authorization expired by the time it applies fails on chain", async () => {
    const tx = await clientTransaction(5);
    devnet.ledger.sequence += 5; // the entry expires while the transaction waits
    const late = devnet.ledger.submit(wrap(tx, submitter));
    devnet.closeLedger();
    expect(devnet.ledger.transactions.get(late.hash)?.status).toBe("FAILED");
    expect(devnet.ledger.transactions.get(late.hash)?.error).toMatch(/expired/);
  });

  it("a fee bump whose inner sequence number is wrong: txFeeBumpInnerFailed with txBadSeq inside, as stellar-core", async () => {
    const tx = await clientTransaction();
    const bumper = devnet.createAccount();
    const refused = devnet.ledger.submit(bump(wrap(tx, submitter, { sequenceOffset: 5n }), bumper));
    expect(refused.status).toBe("ERROR");
    expect(resultCode(refused.errorResultXdr)).toBe("txFeeBumpInnerFailed");
    expect(innerCode(refused.errorResultXdr)).toBe("txBadSeq");
  });

  it("a negative resource fee is refused at admission (it would credit the fee source)", async () => {
    const tx = await clientTransaction();
    const balance = devnet.nativeBalance(submitter.publicKey());
    const refused = devnet.ledger.submit(
      wrap(tx, submitter, {
        edit: (raw) => sorobanData(raw).resourceFee(xdr.Int64.fromString("-1000000000")),
      }),
    );
    expect(refused.status).toBe("ERROR");
    expect(resultCode(refused.errorResultXdr)).toBe("txSorobanInvalid");
    devnet.closeLedger();
    expect(devnet.nativeBalance(submitter.publicKey())).toBe(balance);
  });

  it.each([
    [
      "an empty footprint",
      (raw: xdr.Transaction) =>
        sorobanData(raw)
          .resources()
          .footprint(new xdr.LedgerFootprint({ readOnly: [], readWrite: [] })),
      /footprint/,
    ],
    [
      "zero instructions",
      (raw: xdr.Transaction) => sorobanData(raw).resources().instructions(0),
      /resource limit/,
    ],
  ])(
    "declared resources below the transfer's use (%s) fail on chain, fee charged",
    async (_name, edit, error) => {
      const tx = await clientTransaction();
      const balance = {
        token: devnet.balance(usdc, payTo.publicKey()),
        fee: devnet.nativeBalance(submitter.publicKey()),
      };
      const sent = devnet.ledger.submit(wrap(tx, submitter, { edit }));
      expect(sent.status).toBe("PENDING");
      devnet.closeLedger();
      const record = devnet.ledger.transactions.get(sent.hash);
      expect(record?.status).toBe("FAILED");
      expect(record?.error).toMatch(error);
      expect(devnet.balance(usdc, payTo.publicKey())).toBe(balance.token);
      expect(devnet.nativeBalance(submitter.publicKey())).toBe(
        balance.fee - 100n - devnet.ledger.minResourceFee,
      );
    },
  );

  it("a used nonce stays used until the payer's own entry expires, whatever entry comes first", async () => {
    const tx = await clientTransaction();
    const shortLived = (raw: xdr.Transaction) => {
      const op = raw.operations()[0]!.body().invokeHostFunctionOp();
      const junk = xdr.SorobanAuthorizationEntry.fromXDR(op.auth()[0]!.toXDR());
      junk
        .credentials()
        .address()
        .address(xdr.ScAddress.scAddressTypeAccount(Keypair.random().xdrAccountId()));
      junk
        .credentials()
        .address()
        .signatureExpirationLedger(devnet.ledger.sequence + 1);
      op.auth([junk, ...op.auth()]);
    };
    const first = devnet.ledger.submit(wrap(tx, submitter, { edit: shortLived }));
    devnet.closeLedger();
    expect(devnet.ledger.transactions.get(first.hash)?.status).toBe("SUCCESS");
    for (let i = 0; i < 3; i++) devnet.closeLedger(); // the junk entry expired, the payer's has not
    const balance = devnet.balance(usdc, payTo.publicKey());
    const replay = devnet.ledger.submit(wrap(tx, submitter, { edit: shortLived }));
    devnet.closeLedger();
    expect(devnet.ledger.transactions.get(replay.hash)?.error).toMatch(/nonce already used/);
    expect(devnet.balance(usdc, payTo.publicKey())).toBe(balance);
  });

  it("simulation refuses a transfer beyond the balance", async () => {
    const poor = devnet.createAccount();
    const client = new OurClient(createEd25519Signer(poor.secret(), "stellar:standin"), {
      url: devnet.rpcUrl,
    });
    await expect(
      client.createPaymentPayload(2, {
        scheme: "exact",
        network: "stellar:standin",
        amount: "1",
        asset: usdc,
        payTo: payTo.publicKey(),
        maxTimeoutSeconds: 60,
        extra: { areFeesSponsored: true },
      }),
    ).rejects.toThrow(/insufficient token balance/);
  });
});
