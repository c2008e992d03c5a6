import { AccountRole, type Address } from "@solana/kit";
import type { PaymentRequirements } from "@x402kit/core";
import { type SolanaDevnet, startSolanaDevnet } from "@x402kit/devnet/solana";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ExactSvmScheme as FacilitatorScheme,
  toFacilitatorSvmSigner,
} from "../src/exact/facilitator/index.js";
import { memoInstruction } from "../src/instructions.js";
import { ExactSvmReason as R } from "../src/reasons.js";
import { type CraftOptions, craftTransfer } from "./support/craftTransfer.js";
import {
  balancesOf,
  clientPayment,
  PRICE,
  payloadOf,
  requirementsOn,
  withAccountReplaced,
  withLastProgramIndex,
} from "./support/devnetPayments.js";

let devnet: SolanaDevnet;
let facilitator: FacilitatorScheme;

beforeAll(async () => {
  devnet = await startSolanaDevnet();
  facilitator = new FacilitatorScheme(signer());
});
afterAll(async () => {
  await devnet?.stop();
});

const signer = () =>
  toFacilitatorSvmSigner(devnet.accounts.facilitator.signer, { defaultRpcUrl: devnet.rpcUrl });
const base = (): CraftOptions => ({
  payer: devnet.accounts.payer.signer,
  feePayer: devnet.accounts.facilitator.address,
  payTo: devnet.accounts.payTo.address,
  amount: PRICE,
});

/** Refused by verify and settle with `reason`, and no token or lamport moves. */
async function refused(
  transaction: string,
  reason: string,
  req: PaymentRequirements = requirementsOn(devnet),
) {
  const before = await balancesOf(devnet);
  expect(await facilitator.verify(payloadOf(transaction, req), req)).toMatchObject({
    isValid: false,
    invalidReason: reason,
  });
  expect(await facilitator.settle(payloadOf(transaction, req), req)).toMatchObject({
    success: false,
    errorReason: reason,
    transaction: "",
  });
  expect(await balancesOf(devnet)).toEqual(before);
}

describe("default limits on what one payment costs the fee payer", () => {
  it("refuses a compute-unit limit above 200,000 (the client asks 20,000)", async () => {
    await refused(
      await craftTransfer(devnet, { ...base(), computeUnitLimit: 1_400_000 }),
      R.ComputeLimitTooHigh,
    );
  });

  it("refuses a priority fee above 100,000 lamports even with the limit and price each under their caps", async () => {
    // 200,000 units × 5,000,000 µlamports = 1,000,000 lamports
    const tx = await craftTransfer(devnet, {
      ...base(),
      computeUnitLimit: 200_000,
      computeUnitPrice: 5_000_000n,
    });
    await refused(tx, R.ComputePriceTooHigh);
  });

  it("refuses a third required signature (5,000 lamports more for the fee payer)", async () => {
    const cosigned = memoInstruction("co-signed");
    const other = devnet.accounts.other.signer;
    const tx = await craftTransfer(devnet, {
      ...base(),
      extraInstructions: [
        {
          ...cosigned,
          accounts: [{ address: other.address, role: AccountRole.READONLY_SIGNER, signer: other } as never],
        },
      ],
    });
    await refused(tx, R.ExcessiveSigners);
  });

  it("accepts the client's own payment at the defaults, and a larger budget when the operator raises the limits", async () => {
    const req = requirementsOn(devnet);
    expect((await facilitator.verify(await clientPayment(devnet, req), req)).isValid).toBe(true);
    const generous = new FacilitatorScheme(signer(), {
      maxComputeUnits: 1_400_000,
      maxPriorityFeeLamports: 10_000_000,
    });
    const tx = await craftTransfer(devnet, {
      ...base(),
      computeUnitLimit: 1_400_000,
      computeUnitPrice: 5_000_000n,
    });
    expect(await generous.verify(payloadOf(tx, req), req)).toMatchObject({ isValid: true });
  });

  it("refuses limits that are not integers in range when the scheme is built", () => {
    expect(() => new FacilitatorScheme(signer(), { maxRequiredSignatures: 0 })).toThrow(
      /maxRequiredSignatures/,
    );
    expect(() => new FacilitatorScheme(signer(), { maxComputeUnits: 1.5 })).toThrow(/maxComputeUnits/);
  });
});

describe("the fee payer appears in no instruction", () => {
  const feePayer = () => devnet.accounts.facilitator.address as Address;

  it("as an account of a Memo instruction", async () => {
    const memo = memoInstruction("signed by the fee payer");
    const tx = await craftTransfer(devnet, {
      ...base(),
      extraInstructions: [
        { ...memo, accounts: [{ address: feePayer(), role: AccountRole.READONLY_SIGNER }] },
      ],
    });
    await refused(tx, R.FeePayerTransferringFunds);
  });

  it("as the program an instruction invokes", async () => {
    const text = "fee payer as program";
    const tx = await craftTransfer(devnet, { ...base(), extraInstructions: [memoInstruction(text)] });
    const patched = await withLastProgramIndex(tx, 0, text.length, devnet.accounts.payer.signer);
    await refused(patched, R.FeePayerTransferringFunds);
  });

  it("listed a second time, at another static index, as a Memo account", async () => {
    const memo = memoInstruction("fee payer listed twice");
    const stand = devnet.accounts.other.address as Address;
    const tx = await craftTransfer(devnet, {
      ...base(),
      extraInstructions: [{ ...memo, accounts: [{ address: stand, role: AccountRole.READONLY }] }],
    });
    const twice = await withAccountReplaced(tx, stand, feePayer(), devnet.accounts.payer.signer);
    await refused(twice, R.FeePayerTransferringFunds);
  });

  it("as an extra account of the TransferChecked", async () => {
    const tx = await craftTransfer(devnet, { ...base(), extraTransferAccounts: [feePayer()] });
    await refused(tx, R.FeePayerTransferringFunds);
  });
});

describe("malformed requirements get the official reason", () => {
  it("a payTo that is not a Solana address: recipient mismatch, on verify and settle", async () => {
    const req = requirementsOn(devnet, { payTo: "0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl" });
    await refused(await craftTransfer(devnet, base()), R.RecipientMismatch, req);
  });

  it("an asset that is not a Solana address: mint mismatch, on verify and settle", async () => {
    const req = requirementsOn(devnet, { asset: "not-an-address" });
    await refused(await craftTransfer(devnet, base()), R.MintMismatch, req);
  });
});
