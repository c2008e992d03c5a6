import {
  Account,
  AccountAddress,
  type AccountAuthenticator,
  AccountAuthenticatorEd25519,
  Aptos,
  AptosConfig,
  ChainId,
  Ed25519PublicKey,
  Ed25519Signature,
  Network,
  RawTransaction,
  SimpleTransaction,
} from "@aptos-labs/ts-sdk";
import { type AptosDevnet, startAptosDevnet } from "@x402kit/devnet/aptos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transferPayload } from "../src/index.js";
import { addressOf } from "./helpers.js";

// The local stand-in is test infrastructure; these tests show it refuses on its own what a
// validator would, so that settlement tests against it mean something.
let devnet: AptosDevnet;
let aptos: Aptos;
beforeAll(async () => {
  devnet = await startAptosDevnet({ accounts: 3 });
  aptos = new Aptos(new AptosConfig({ network: Network.LOCAL, fullnode: devnet.url }));
});
afterAll(async () => devnet?.stop());

async function sponsored(
  sender: Account,
  options: { expiration?: number; chainId?: number; amount?: bigint } = {},
) {
  const info = await aptos.getAccountInfo({ accountAddress: sender.accountAddress });
  const raw = new RawTransaction(
    sender.accountAddress,
    BigInt(info.sequence_number),
    transferPayload(devnet.usdc, addressOf(devnet.accounts[2] as Account), options.amount ?? 5n),
    10_000n,
    100n,
    BigInt(Math.floor(Date.now() / 1000) + (options.expiration ?? 30)),
    new ChainId(options.chainId ?? devnet.chainId),
  );
  const transaction = new SimpleTransaction(raw, devnet.feePayer.accountAddress);
  const senderAuthenticator = sender.signTransactionWithAuthenticator(transaction);
  const feePayerAuthenticator = devnet.feePayer.signTransactionWithAuthenticator(transaction);
  return { transaction, senderAuthenticator, feePayerAuthenticator };
}

const submit = (parts: {
  transaction: SimpleTransaction;
  senderAuthenticator: AccountAuthenticator;
  feePayerAuthenticator: AccountAuthenticator;
}) => aptos.transaction.submit.simple(parts);

describe("the local Aptos REST stand-in (through the SDK)", () => {
  it("answers ledger info, accounts, balances and gas estimates", async () => {
    expect((await aptos.getLedgerInfo()).chain_id).toBe(devnet.chainId);
    const payer = devnet.accounts[0] as Account;
    expect(await aptos.getAccountInfo({ accountAddress: payer.accountAddress })).toEqual({
      sequence_number: "0",
      authentication_key: payer.publicKey.authKey().toString(),
    });
    expect(
      await aptos.getBalance({
        accountAddress: payer.accountAddress,
        asset: AccountAddress.from(devnet.usdc),
      }),
    ).toBe(1_000_000_000);
    expect((await aptos.getGasPriceEstimation()).gas_estimate).toBe(100);
  });

  it("commits a sponsored transfer once: submit, wait by hash, replay refused", async () => {
    const parts = await sponsored(devnet.accounts[0] as Account);
    const pending = await submit(parts);
    const committed = await aptos.waitForTransaction({ transactionHash: pending.hash });
    expect(committed).toMatchObject({ success: true, vm_status: "Executed successfully" });
    await expect(submit(parts)).rejects.toThrow(/SEQUENCE_NUMBER_TOO_OLD/);
  });

  it("refuses a bad sender or fee-payer signature, another chain, an expired transaction", async () => {
    const sender = devnet.accounts[1] as Account;
    const good = await sponsored(sender);
    const forged = {
      ...good,
      senderAuthenticator: (devnet.accounts[0] as Account).signTransactionWithAuthenticator(good.transaction),
    };
    await expect(submit(forged)).rejects.toThrow(/INVALID_AUTH_KEY/);
    const otherPayload = await sponsored(sender, { amount: 6n });
    await expect(submit({ ...good, senderAuthenticator: otherPayload.senderAuthenticator })).rejects.toThrow(
      /INVALID_SIGNATURE/,
    );
    await expect(
      submit({ ...good, feePayerAuthenticator: otherPayload.feePayerAuthenticator }),
    ).rejects.toThrow(/INVALID_SIGNATURE/);
    await expect(submit(await sponsored(sender, { chainId: 2 }))).rejects.toThrow(/BAD_CHAIN_ID/);
    await expect(submit(await sponsored(sender, { expiration: -1 }))).rejects.toThrow(/TRANSACTION_EXPIRED/);
    expect((await aptos.getAccountInfo({ accountAddress: sender.accountAddress })).sequence_number).toBe("0");
  });

  it("simulates without committing and reports a Move abort for an overdraft", async () => {
    const sender = devnet.accounts[1] as Account;
    const parts = await sponsored(sender, { amount: 10n ** 12n });
    const [simulated] = await aptos.transaction.simulate.simple({
      transaction: parts.transaction,
      signerPublicKey: sender.publicKey,
    });
    expect(simulated).toMatchObject({
      success: false,
      vm_status: expect.stringMatching(/EINSUFFICIENT_BALANCE/),
    });
    expect((await aptos.getAccountInfo({ accountAddress: sender.accountAddress })).sequence_number).toBe("0");
  });
});

describe("the stand-in's mempool, account creation and edges", () => {
  it("holds commits back: by_hash shows the pending transaction (or 404 when told), an identical resubmission is accepted, one commit on resume", async () => {
    const sender = devnet.accounts[0] as Account;
    const parts = await sponsored(sender);
    const byHash = async (hash: string) => (await fetch(`${devnet.url}/transactions/by_hash/${hash}`)).status;
    devnet.ledger.pauseCommits();
    try {
      const pending = await submit(parts);
      expect(pending.hash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(await aptos.getTransactionByHash({ transactionHash: pending.hash })).toMatchObject({
        type: "pending_transaction",
      });
      expect((await submit(parts)).hash).toBe(pending.hash);
      devnet.ledger.pauseCommits({ visible: false });
      expect(await byHash(pending.hash)).toBe(404);
      devnet.ledger.resumeCommits();
      expect(await aptos.waitForTransaction({ transactionHash: pending.hash })).toMatchObject({
        success: true,
      });
      await expect(submit(parts)).rejects.toThrow(/SEQUENCE_NUMBER_TOO_OLD/);
    } finally {
      devnet.ledger.resumeCommits();
    }
  });

  it("a sponsored transaction creates its sender's account (sequence 0); an unsponsored one from an unknown account is refused", async () => {
    const newcomer = Account.generate();
    const address = addressOf(newcomer);
    devnet.ledger.mint(devnet.usdc, address, 100n); // a primary store, no account
    await expect(aptos.getAccountInfo({ accountAddress: newcomer.accountAddress })).rejects.toMatchObject({
      status: 404,
    });
    const raw = new RawTransaction(
      newcomer.accountAddress,
      0n,
      transferPayload(devnet.usdc, addressOf(devnet.accounts[2] as Account), 40n),
      10_000n,
      100n,
      BigInt(Math.floor(Date.now() / 1000) + 30),
      new ChainId(devnet.chainId),
    );
    const alone = new SimpleTransaction(raw);
    await expect(
      aptos.transaction.submit.simple({
        transaction: alone,
        senderAuthenticator: newcomer.signTransactionWithAuthenticator(alone),
      }),
    ).rejects.toThrow(/SENDING_ACCOUNT_DOES_NOT_EXIST/);
    const transaction = new SimpleTransaction(raw, devnet.feePayer.accountAddress);
    const pending = await submit({
      transaction,
      senderAuthenticator: newcomer.signTransactionWithAuthenticator(transaction),
      feePayerAuthenticator: devnet.feePayer.signTransactionWithAuthenticator(transaction),
    });
    expect(await aptos.waitForTransaction({ transactionHash: pending.hash })).toMatchObject({
      success: true,
    });
    expect(await aptos.getAccountInfo({ accountAddress: newcomer.accountAddress })).toEqual({
      sequence_number: "1",
      authentication_key: address,
    });
    expect(devnet.ledger.balance(address, devnet.usdc)).toBe(60n);
  });

  it("refuses a small-order Ed25519 key with R = identity and S = 0, which node:crypto alone accepts", async () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const forgedSignature = new Uint8Array(64);
    forgedSignature[0] = 1;
    const key = new Ed25519PublicKey(identity);
    const sender = key.authKey().derivedAddress();
    const raw = new RawTransaction(
      sender,
      0n,
      transferPayload(devnet.usdc, addressOf(devnet.accounts[2] as Account), 1n),
      10_000n,
      100n,
      BigInt(Math.floor(Date.now() / 1000) + 30),
      new ChainId(devnet.chainId),
    );
    const transaction = new SimpleTransaction(raw, devnet.feePayer.accountAddress);
    await expect(
      submit({
        transaction,
        senderAuthenticator: new AccountAuthenticatorEd25519(key, new Ed25519Signature(forgedSignature)),
        feePayerAuthenticator: devnet.feePayer.signTransactionWithAuthenticator(transaction),
      }),
    ).rejects.toThrow(/INVALID_SIGNATURE/);
  });

  it("answers 400 to a malformed escape and exact balances beyond 2^53", async () => {
    const malformed = await fetch(`${devnet.url}/accounts/0x1/resource/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    const whale = addressOf(devnet.accounts[2] as Account);
    const huge = (1n << 60n) + 1n;
    devnet.ledger.mint(devnet.usdc, whale, huge);
    const expected = devnet.ledger.balance(whale, devnet.usdc);
    const text = await (await fetch(`${devnet.url}/accounts/${whale}/balance/${devnet.usdc}`)).text();
    expect(BigInt(text)).toBe(expected);
    expect(expected > huge).toBe(true);
  });
});
