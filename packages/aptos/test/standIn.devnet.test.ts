import {
  type Account,
  AccountAddress,
  type AccountAuthenticator,
  Aptos,
  AptosConfig,
  ChainId,
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
