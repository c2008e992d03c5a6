import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Account } from "@aptos-labs/ts-sdk";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { MemoryStore } from "@x402kit/core/storage";
import { type AptosDevnet, startAptosDevnet } from "@x402kit/devnet/aptos";
import { SqliteStore } from "@x402kit/storage/sqlite";
import { afterAll, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { ExactAptosReason as R } from "../src/index.js";
import { addressOf, facilitatorFor, payFor, registerDevnet, requirementsFor } from "./helpers.js";

let devnet: AptosDevnet;
let submit: MockInstance;
let payer: Account;
let payee: Account;
beforeAll(async () => {
  devnet = await startAptosDevnet({ accounts: 6 });
  registerDevnet(devnet);
  [payer, payee] = devnet.accounts as [Account, Account];
});
afterAll(async () => devnet?.stop());
// Every refused payment must be refused by our facilitator before the stand-in sees it.
beforeEach(() => {
  submit?.mockRestore();
  submit = vi.spyOn(devnet.ledger, "submit");
});

/** Verify and settle `payload`; both must refuse with `reason` and nothing may reach the ledger. */
async function expectRefused(payload: PaymentPayload, requirements: PaymentRequirements, reason: string) {
  const facilitator = facilitatorFor(devnet);
  const usdcBefore = devnet.ledger.balance(addressOf(payer), devnet.usdc);
  const verified = await facilitator.verify(payload, requirements);
  expect(verified.isValid).toBe(false);
  expect(verified.invalidReason?.startsWith(reason), String(verified.invalidReason)).toBe(true);
  const settled = await facilitator.settle(payload, requirements);
  expect(settled).toMatchObject({ success: false, transaction: "" });
  expect(settled.errorReason?.startsWith(reason), String(settled.errorReason)).toBe(true);
  expect(submit).not.toHaveBeenCalled();
  expect(devnet.ledger.balance(addressOf(payer), devnet.usdc)).toBe(usdcBefore);
}

describe("attacks, refused with the official reasons before anything is submitted", () => {
  it("wrong amount", async () => {
    const asked = requirementsFor(devnet, payee, "10000");
    const paid = await payFor(payer, { ...asked, amount: "9999" });
    await expectRefused({ ...paid, accepted: asked }, asked, R.AmountMismatch);
  });

  it("wrong asset", async () => {
    const asked = requirementsFor(devnet, payee);
    const other = devnet.ledger.createFungibleAsset("FAKE", 6);
    devnet.ledger.mint(other, addressOf(payer), 10n ** 9n);
    const paid = await payFor(payer, { ...asked, asset: other });
    await expectRefused({ ...paid, accepted: asked }, asked, R.AssetMismatch);
  });

  it("wrong recipient", async () => {
    const asked = requirementsFor(devnet, payee);
    const paid = await payFor(payer, { ...asked, payTo: addressOf(devnet.accounts[2] as Account) });
    await expectRefused({ ...paid, accepted: asked }, asked, R.RecipientMismatch);
  });

  it("expired (or expiring within the 5 s buffer)", async () => {
    const asked = requirementsFor(devnet, payee);
    await expectRefused(await payFor(payer, asked, { expirationSeconds: 3 }), asked, R.TransactionExpired);
  });

  it("the fee payer as sender: its own funds would move", async () => {
    const asked = requirementsFor(devnet, payee);
    devnet.ledger.mint(devnet.usdc, addressOf(devnet.feePayer), 10n ** 6n);
    await expectRefused(await payFor(devnet.feePayer, asked), asked, R.FeePayerTransferringFunds);
  });

  it("gas above the bounds: max_gas_amount, gas_unit_price, and both within bounds but over a lowered fee cap", async () => {
    const asked = requirementsFor(devnet, payee);
    await expectRefused(await payFor(payer, asked, { maxGasAmount: 500_001 }), asked, R.GasTooHigh);
    await expectRefused(await payFor(payer, asked, { gasUnitPrice: 1_001 }), asked, R.GasUnitPriceTooHigh);
    // Each bound passes (200 000 units, 100 octas) but the fee they allow is above a lowered cap.
    const capped = facilitatorFor(devnet, { maxFeeOctas: 10_000_000 });
    const payload = await payFor(payer, asked, { maxGasAmount: 200_000, gasUnitPrice: 100 });
    expect((await capped.verify(payload, asked)).invalidReason).toBe(
      `${R.GasTooHigh}: fee above 10000000 octas`,
    );
    expect((await capped.settle(payload, asked)).errorReason).toBe(
      `${R.GasTooHigh}: fee above 10000000 octas`,
    );
    expect(submit).not.toHaveBeenCalled();
  });

  it("a fee payer that is not ours, or a transaction sponsored by someone else", async () => {
    const stranger = Account.generate().accountAddress.toStringLong();
    const theirs = { ...requirementsFor(devnet, payee), extra: { feePayer: stranger } };
    await expectRefused(await payFor(payer, theirs), theirs, R.FeePayerNotManaged);
    const ours = requirementsFor(devnet, payee);
    const paid = await payFor(payer, theirs);
    await expectRefused({ ...paid, accepted: ours }, ours, R.FeePayerMismatch);
    // Not sponsored, but the transaction names our fee payer: we would still be asked to pay.
    const unsponsored = requirementsFor(devnet, payee, "10000", false);
    await expectRefused(
      { ...(await payFor(payer, ours)), accepted: unsponsored },
      unsponsored,
      R.FeePayerMismatch,
    );
  });

  it("a tampered signature, and another account's valid signature", async () => {
    const asked = requirementsFor(devnet, payee);
    const paid = await payFor(payer, asked);
    const decoded = JSON.parse(Buffer.from(String(paid.payload.transaction), "base64").toString()) as {
      transaction: number[];
      senderAuthenticator: number[];
    };
    const last = decoded.senderAuthenticator.length - 1;
    decoded.senderAuthenticator[last] = (decoded.senderAuthenticator[last] as number) ^ 0x01;
    const tampered = {
      ...paid,
      payload: { transaction: Buffer.from(JSON.stringify(decoded)).toString("base64") },
    };
    await expectRefused(tampered, asked, R.InvalidSignature);
    const thief = devnet.accounts[3] as Account;
    const theirs = JSON.parse(
      Buffer.from(String((await payFor(thief, asked)).payload.transaction), "base64").toString(),
    ) as { senderAuthenticator: number[] };
    const swapped = { ...decoded, senderAuthenticator: theirs.senderAuthenticator };
    const mixed = {
      ...paid,
      payload: { transaction: Buffer.from(JSON.stringify(swapped)).toString("base64") },
    };
    await expectRefused(mixed, asked, R.SenderAuthenticatorMismatch);
  });

  it("insufficient balance (read from the node before simulating)", async () => {
    const poor = Account.generate();
    devnet.ledger.createAccount(poor, 10n ** 8n);
    const asked = requirementsFor(devnet, payee);
    const facilitator = facilitatorFor(devnet);
    const paid = await payFor(poor, asked);
    expect((await facilitator.verify(paid, asked)).invalidReason).toBe(R.InsufficientBalance);
    expect((await facilitator.settle(paid, asked)).errorReason).toBe(R.InsufficientBalance);
    expect(submit).not.toHaveBeenCalled();
  });
});

describe("replay", () => {
  it("sequentially: settled once; the copy is refused by the ledger of settlements, and by the chain on a fresh facilitator", async () => {
    const asked = requirementsFor(devnet, payee, "777");
    const payload = await payFor(payer, asked);
    const facilitator = facilitatorFor(devnet);
    const before = devnet.ledger.balance(addressOf(payee), devnet.usdc);
    expect((await facilitator.settle(payload, asked)).success).toBe(true);
    expect(await facilitator.settle(payload, asked)).toMatchObject({
      success: false,
      errorReason: R.DuplicateSettlement,
    });
    expect((await facilitator.verify(payload, asked)).invalidReason).toBe(R.DuplicateSettlement);
    // A facilitator with its own (empty) store: the sequence number is spent on chain.
    const fresh = facilitatorFor(devnet);
    expect((await fresh.verify(payload, asked)).invalidReason).toBe(
      `${R.SimulationFailed}: SEQUENCE_NUMBER_TOO_OLD`,
    );
    expect((await fresh.settle(payload, asked)).errorReason).toBe(
      `${R.SimulationFailed}: SEQUENCE_NUMBER_TOO_OLD`,
    );
    expect(submit).toHaveBeenCalledTimes(1);
    expect(devnet.ledger.balance(addressOf(payee), devnet.usdc)).toBe(before + 777n);
  });

  it("20 concurrent copies on one facilitator: one settlement", async () => {
    const asked = requirementsFor(devnet, payee, "555");
    const payload = await payFor(devnet.accounts[4] as Account, asked);
    const facilitator = facilitatorFor(devnet);
    const before = devnet.ledger.balance(addressOf(payee), devnet.usdc);
    const results = await Promise.all(Array.from({ length: 20 }, () => facilitator.settle(payload, asked)));
    expect(results.filter((r) => r.success)).toHaveLength(1);
    expect(results.filter((r) => r.errorReason === R.DuplicateSettlement)).toHaveLength(19);
    expect(submit).toHaveBeenCalledTimes(1);
    expect(devnet.ledger.balance(addressOf(payee), devnet.usdc)).toBe(before + 555n);
  });

  it("20 concurrent copies across 4 facilitator instances sharing one store: one settlement", async () => {
    const asked = requirementsFor(devnet, payee, "333");
    const payload = await payFor(devnet.accounts[5] as Account, asked);
    const store = new MemoryStore();
    const instances = Array.from({ length: 4 }, () => facilitatorFor(devnet, { store }));
    const before = devnet.ledger.balance(addressOf(payee), devnet.usdc);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (instances[i % 4] as (typeof instances)[0]).settle(payload, asked),
      ),
    );
    expect(results.filter((r) => r.success)).toHaveLength(1);
    expect(results.filter((r) => r.errorReason === R.DuplicateSettlement)).toHaveLength(19);
    expect(submit).toHaveBeenCalledTimes(1);
    expect(devnet.ledger.balance(addressOf(payee), devnet.usdc)).toBe(before + 333n);
    // A later copy on any instance: already settled.
    expect((await (instances[3] as (typeof instances)[0]).settle(payload, asked)).errorReason).toBe(
      R.DuplicateSettlement,
    );
  });

  it("20 concurrent copies across 2 instances, each with its own SQLite connection to one file: one settlement", async () => {
    const dir = mkdtempSync(join(tmpdir(), "x402kit-aptos-"));
    const stores = [new SqliteStore(join(dir, "x402.db")), new SqliteStore(join(dir, "x402.db"))];
    try {
      const asked = requirementsFor(devnet, payee, "222");
      const payload = await payFor(payer, asked);
      const instances = stores.map((store) => facilitatorFor(devnet, { store }));
      const before = devnet.ledger.balance(addressOf(payee), devnet.usdc);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (instances[i % 2] as (typeof instances)[0]).settle(payload, asked),
        ),
      );
      expect(results.filter((r) => r.success)).toHaveLength(1);
      expect(results.filter((r) => r.errorReason === R.DuplicateSettlement)).toHaveLength(19);
      expect(submit).toHaveBeenCalledTimes(1);
      expect(devnet.ledger.balance(addressOf(payee), devnet.usdc)).toBe(before + 222n);
    } finally {
      for (const store of stores) await store.close?.();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
