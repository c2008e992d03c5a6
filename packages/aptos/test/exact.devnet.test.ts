import { Account } from "@aptos-labs/ts-sdk";
import { type AptosDevnet, startAptosDevnet } from "@x402kit/devnet/aptos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AptosTransactionPendingError,
  ExactAptosScheme,
  type FacilitatorAptosSigner,
  toFacilitatorAptosSigner,
} from "../src/exact/facilitator/index.js";
import { addressOf, facilitatorFor, payFor, registerDevnet, requirementsFor } from "./helpers.js";

let devnet: AptosDevnet;
beforeAll(async () => {
  devnet = await startAptosDevnet({ accounts: 3 });
  registerDevnet(devnet);
});
afterAll(async () => devnet?.stop());

describe("exact on the local Aptos stand-in", () => {
  it("verifies and settles a sponsored payment, balances exact to the atomic unit", async () => {
    const [payer, payee] = devnet.accounts as [(typeof devnet.accounts)[0], (typeof devnet.accounts)[0]];
    const requirements = requirementsFor(devnet, payee, "12345");
    const payload = await payFor(payer, requirements);
    const facilitator = facilitatorFor(devnet);
    const before = {
      payer: devnet.ledger.balance(addressOf(payer), devnet.usdc),
      payee: devnet.ledger.balance(addressOf(payee), devnet.usdc),
      payerApt: devnet.ledger.balance(addressOf(payer)),
      sponsorApt: devnet.ledger.balance(addressOf(devnet.feePayer)),
    };
    expect(await facilitator.verify(payload, requirements)).toEqual({
      isValid: true,
      payer: addressOf(payer),
    });
    const settled = await facilitator.settle(payload, requirements);
    expect(settled).toMatchObject({ success: true, network: devnet.network, payer: addressOf(payer) });
    expect(settled.transaction).toMatch(/^0x[0-9a-f]{64}$/);
    expect(devnet.ledger.transaction(settled.transaction)?.success).toBe(true);
    expect(devnet.ledger.balance(addressOf(payer), devnet.usdc)).toBe(before.payer - 12345n);
    expect(devnet.ledger.balance(addressOf(payee), devnet.usdc)).toBe(before.payee + 12345n);
    // Sponsored: the payer's APT is untouched, the fee payer paid the gas.
    expect(devnet.ledger.balance(addressOf(payer))).toBe(before.payerApt);
    expect(devnet.ledger.balance(addressOf(devnet.feePayer))).toBeLessThan(before.sponsorApt);
  });

  it("settles an unsponsored payment: the payer pays its own gas, the facilitator only submits", async () => {
    const [, payee, payer] = devnet.accounts as [Account, Account, Account];
    const requirements = requirementsFor(devnet, payee, "2500", false);
    const payload = await payFor(payer, requirements);
    const facilitator = facilitatorFor(devnet, { sponsorTransactions: false });
    const sponsorApt = devnet.ledger.balance(addressOf(devnet.feePayer));
    const payerApt = devnet.ledger.balance(addressOf(payer));
    const settled = await facilitator.settle(payload, requirements);
    expect(settled).toMatchObject({ success: true, payer: addressOf(payer) });
    const committed = devnet.ledger.transaction(settled.transaction);
    const gas = BigInt(String(committed?.gas_used)) * BigInt(String(committed?.gas_unit_price));
    expect(devnet.ledger.balance(addressOf(payer))).toBe(payerApt - gas);
    expect(devnet.ledger.balance(addressOf(devnet.feePayer))).toBe(sponsorApt);
  });

  it("a settlement whose wait timed out answers settlement_pending with the hash; the retry follows it (resending the identical bytes moves nothing twice)", async () => {
    const [payer, payee] = devnet.accounts as [Account, Account];
    const requirements = requirementsFor(devnet, payee, "100");
    const payload = await payFor(payer, requirements);
    const real = toFacilitatorAptosSigner(devnet.feePayer, { defaultRpcUrl: devnet.url });
    let waits = 0;
    let submissions = 0;
    // A wrapper over the real signer whose first wait times out (as on a slow node).
    const slowFirstWait: FacilitatorAptosSigner = {
      ...real,
      signAndSubmitAsFeePayer: (...args) => {
        submissions++;
        return real.signAndSubmitAsFeePayer(...args);
      },
      waitForTransaction: async (hash, network) => {
        if (waits++ === 0) throw new AptosTransactionPendingError(hash);
        return real.waitForTransaction(hash, network);
      },
    };
    const facilitator = new ExactAptosScheme(slowFirstWait);
    const before = devnet.ledger.balance(addressOf(payee), devnet.usdc);
    const first = await facilitator.settle(payload, requirements);
    expect(first).toMatchObject({ success: false, errorReason: "settlement_pending" });
    expect(first.transaction).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: true });
    const retry = await facilitator.settle(payload, requirements);
    expect(retry).toMatchObject({ success: true, transaction: first.transaction });
    // The retry sent the same signed bytes again (the chain refuses a committed copy): one transfer.
    expect(submissions).toBe(2);
    expect(devnet.ledger.balance(addressOf(payee), devnet.usdc)).toBe(before + 100n);
    expect((await facilitator.settle(payload, requirements)).errorReason).toBe("duplicate_settlement");
  });

  it("the retry of a submitted, unanswered payment is followed even after the payment expired", async () => {
    const [payer, payee] = devnet.accounts as [Account, Account];
    const requirements = requirementsFor(devnet, payee, "50");
    // Valid for 8 s: the checks pass now (≥ 5 s left) and fail 4 s later.
    const payload = await payFor(payer, requirements, { expirationSeconds: 8 });
    const real = toFacilitatorAptosSigner(devnet.feePayer, { defaultRpcUrl: devnet.url });
    let waits = 0;
    // A wrapper over the real signer whose first wait times out.
    const slowFirstWait: FacilitatorAptosSigner = {
      ...real,
      waitForTransaction: async (hash, network) => {
        if (waits++ === 0) throw new AptosTransactionPendingError(hash);
        return real.waitForTransaction(hash, network);
      },
    };
    const facilitator = new ExactAptosScheme(slowFirstWait);
    const first = await facilitator.settle(payload, requirements);
    expect(first.errorReason).toBe("settlement_pending");
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    // A fresh instance without the record refuses it as expired; ours follows the submission.
    expect((await facilitatorFor(devnet).verify(payload, requirements)).invalidReason).toBe(
      "invalid_exact_aptos_payload_transaction_expired",
    );
    expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: true });
    expect(await facilitator.settle(payload, requirements)).toMatchObject({
      success: true,
      transaction: first.transaction,
    });
  });
});

describe("a payer whose account is not on chain yet", () => {
  it("our client pays from it with sequence 0 when sponsored; the settlement creates the account", async () => {
    const newcomer = Account.generate();
    const payee = devnet.accounts[1] as Account;
    devnet.ledger.mint(devnet.usdc, addressOf(newcomer), 5_000n); // a primary store, no account
    expect(devnet.ledger.accountInfo(addressOf(newcomer))).toBeUndefined();
    const requirements = requirementsFor(devnet, payee, "1234");
    const payload = await payFor(newcomer, requirements);
    const before = devnet.ledger.balance(addressOf(payee), devnet.usdc);
    const settled = await facilitatorFor(devnet).settle(payload, requirements);
    expect(settled).toMatchObject({ success: true, payer: addressOf(newcomer) });
    expect(devnet.ledger.balance(addressOf(payee), devnet.usdc)).toBe(before + 1234n);
    expect(devnet.ledger.balance(addressOf(newcomer), devnet.usdc)).toBe(5_000n - 1234n);
    expect(devnet.ledger.accountInfo(addressOf(newcomer))?.sequence_number).toBe("1");
  });

  it("without a sponsor, the client still needs the account (the node's 404 is passed on)", async () => {
    const newcomer = Account.generate();
    const requirements = requirementsFor(devnet, devnet.accounts[1] as Account, "1", false);
    await expect(payFor(newcomer, requirements)).rejects.toMatchObject({ status: 404 });
  });
});

describe("balances beyond 2^53", () => {
  it("the facilitator reads the balance exactly: a payer holding exactly the amount (2^53 + 1) passes", async () => {
    const whale = Account.generate();
    devnet.ledger.createAccount(whale, 10n ** 8n);
    const amount = (1n << 53n) + 1n;
    devnet.ledger.mint(devnet.usdc, addressOf(whale), amount);
    const requirements = requirementsFor(devnet, devnet.accounts[1] as Account, amount.toString());
    const payload = await payFor(whale, requirements);
    // As a JS number the balance would round down to 2^53 and look insufficient.
    expect(await facilitatorFor(devnet).verify(payload, requirements)).toEqual({
      isValid: true,
      payer: addressOf(whale),
    });
  });
});
