import { X402Error } from "@x402kit/core";
import { findAssociatedTokenAddress } from "../../ata.js";
import {
  COMPUTE_BUDGET_PROGRAM_ADDRESS,
  LIGHTHOUSE_PROGRAM_ADDRESS,
  MAX_COMPUTE_UNIT_LIMIT,
  MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS,
  MAX_PRIORITY_FEE_LAMPORTS,
  MAX_REQUIRED_SIGNATURES,
  MEMO_PROGRAM_ADDRESS,
  TOKEN_2022_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
} from "../../constants.js";
import { verifyEd25519 } from "../../crypto.js";
import { ExactSvmReason as R } from "../../reasons.js";
import type { WireTransaction } from "../../wireTransaction.js";

/** What one payment must be, whatever the protocol version. */
export interface ExpectedTransfer {
  asset: string;
  payTo: string;
  amount: string;
  feePayer: string;
  memo: unknown;
}

/**
 * The operator's limits on what the facilitator pays for. Per payment the fee payer pays at
 * most 5,000 lamports × `maxRequiredSignatures` + `maxPriorityFeeLamports`.
 *
 * @example
 * ```ts
 * const limits: TransferLimits = { maxPriorityFeeMicroLamports: 5_000_000, maxComputeUnits: 200_000, maxPriorityFeeLamports: 100_000, maxRequiredSignatures: 2 };
 * ```
 */
export interface TransferLimits {
  /** Highest SetComputeUnitPrice accepted (microlamports / CU). Default 5,000,000. */
  maxPriorityFeeMicroLamports: number;
  /** Highest SetComputeUnitLimit accepted. Default 200,000 (the client asks 20,000). */
  maxComputeUnits: number;
  /** Highest priority fee, limit × price, in lamports (rounded up). Default 100,000. */
  maxPriorityFeeLamports: number;
  /** Most required signatures accepted (each costs the fee payer 5,000 lamports). Default 2. */
  maxRequiredSignatures: number;
}

/** Outcome of {@link checkTransferTransaction}: the payer, or the official reason it is refused. */
export type TransferCheck =
  | { ok: true; payer: string }
  | { ok: false; reason: string; message: string; payer?: string };

/**
 * The default {@link TransferLimits}: at most 10,000 + 100,000 lamports per payment.
 *
 * @example
 * ```ts
 * const limits = { ...DEFAULT_TRANSFER_LIMITS, maxComputeUnits: 50_000 };
 * ```
 */
export const DEFAULT_TRANSFER_LIMITS: Readonly<TransferLimits> = Object.freeze({
  maxPriorityFeeMicroLamports: MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS,
  maxComputeUnits: MAX_COMPUTE_UNIT_LIMIT,
  maxPriorityFeeLamports: MAX_PRIORITY_FEE_LAMPORTS,
  maxRequiredSignatures: MAX_REQUIRED_SIGNATURES,
});

/**
 * `limits` over the defaults, each a safe integer (the signature count at least 1, the others
 * at least 0); throws `X402Error` `invalid_facilitator_config` naming the bad one.
 *
 * @example
 * ```ts
 * resolveTransferLimits({ maxComputeUnits: 50_000 }); // the other three at their defaults
 * ```
 */
export function resolveTransferLimits(limits: Partial<TransferLimits> = {}): TransferLimits {
  const resolved = { ...DEFAULT_TRANSFER_LIMITS };
  for (const name of Object.keys(DEFAULT_TRANSFER_LIMITS) as Array<keyof TransferLimits>) {
    const value = limits[name];
    if (value === undefined) continue;
    const min = name === "maxRequiredSignatures" || name === "maxComputeUnits" ? 1 : 0;
    if (!Number.isSafeInteger(value) || value < min)
      throw new X402Error("invalid_facilitator_config", `${name} must be an integer >= ${min}, got ${value}`);
    resolved[name] = value;
  }
  return resolved;
}

const ORDINALS = [
  R.UnknownFourthInstruction,
  R.UnknownFifthInstruction,
  R.UnknownSixthInstruction,
  R.UnknownSeventhInstruction,
];
const TOKEN_PROGRAMS = new Set([TOKEN_PROGRAM_ADDRESS, TOKEN_2022_PROGRAM_ADDRESS]);

/**
 * The static rules of SVM `exact` on a decoded transaction, in the official order (fee payer
 * slot, client signatures, instruction layout, compute budget caps, the TransferChecked's
 * mint, destination ATA, exact amount, optional Memo/Lighthouse, memo). Stricter than the
 * official static path on one rule of the spec: the fee payer may appear in no instruction at
 * all (neither as an account nor as a program), and no source may be a fee payer's token
 * account, so it can pay nothing but the fee.
 *
 * @example
 * ```ts
 * const check = await checkTransferTransaction(tx, expected, signerAddresses, DEFAULT_TRANSFER_LIMITS);
 * ```
 */
export async function checkTransferTransaction(
  tx: WireTransaction,
  expected: ExpectedTransfer,
  signerAddresses: readonly string[],
  limits: TransferLimits,
): Promise<TransferCheck> {
  const fail = (reason: string, message: string, payer?: string): TransferCheck => ({
    ok: false,
    reason,
    message,
    ...(payer ? { payer } : {}),
  });
  const accounts = tx.staticAccounts;
  if (tx.numRequiredSignatures > limits.maxRequiredSignatures)
    return fail(
      R.ExcessiveSigners,
      `${tx.numRequiredSignatures} required signatures (at most ${limits.maxRequiredSignatures})`,
    );
  if (accounts[0] !== expected.feePayer)
    return fail(
      R.FeePayerMismatch,
      `the transaction's fee payer is ${accounts[0]}, not ${expected.feePayer}`,
    );
  for (let i = 1; i < tx.numRequiredSignatures; i++)
    if (
      !verifyEd25519(tx.signatures[i] as Uint8Array, tx.messageBytes, tx.staticAccountBytes[i] as Uint8Array)
    )
      return fail(R.SignatureInvalid, `missing or invalid signature of ${accounts[i]}`);
  if (tx.addressTableLookups > 0)
    return fail(R.AltResolutionNotAvailable, "address lookup tables are not accepted");
  const { instructions } = tx;
  for (const ix of instructions)
    if (ix.programIdIndex >= accounts.length || ix.accountIndexes.some((index) => index >= accounts.length))
      return fail(R.CouldNotDecode, "an instruction names an account the message does not list");
  if (instructions.length < 3 || instructions.length > 7)
    return fail(R.InstructionsLength, `${instructions.length} instructions (3 to 7 expected)`);
  const program = (i: number) => accounts[(instructions[i] as { programIdIndex: number }).programIdIndex];

  const [limitIx, priceIx, transferIx] = instructions as [
    (typeof instructions)[0],
    (typeof instructions)[0],
    (typeof instructions)[0],
  ];
  if (program(0) !== COMPUTE_BUDGET_PROGRAM_ADDRESS || limitIx.data.length !== 5 || limitIx.data[0] !== 2)
    return fail(R.ComputeLimitInstruction, "instruction 0 must be SetComputeUnitLimit");
  const units = view(limitIx.data).getUint32(1, true);
  if (units > limits.maxComputeUnits)
    return fail(R.ComputeLimitTooHigh, `compute unit limit ${units} is above ${limits.maxComputeUnits}`);
  if (program(1) !== COMPUTE_BUDGET_PROGRAM_ADDRESS || priceIx.data.length !== 9 || priceIx.data[0] !== 3)
    return fail(R.ComputePriceInstruction, "instruction 1 must be SetComputeUnitPrice");
  const price = view(priceIx.data).getBigUint64(1, true);
  if (price > BigInt(limits.maxPriorityFeeMicroLamports))
    return fail(
      R.ComputePriceTooHigh,
      `compute unit price ${price} is above ${limits.maxPriorityFeeMicroLamports} microlamports`,
    );
  const priorityFee = (BigInt(units) * price + 999_999n) / 1_000_000n;
  if (priorityFee > BigInt(limits.maxPriorityFeeLamports))
    return fail(
      R.ComputePriceTooHigh,
      `priority fee ${priorityFee} lamports (${units} units × ${price} microlamports) is above ${limits.maxPriorityFeeLamports}`,
    );

  const tokenProgram = program(2) as string;
  if (
    !TOKEN_PROGRAMS.has(tokenProgram) ||
    transferIx.data.length < 10 ||
    transferIx.data[0] !== 12 ||
    transferIx.accountIndexes.length < 4
  )
    return fail(
      R.NoTransferInstruction,
      "instruction 2 must be a TransferChecked of SPL Token or Token-2022",
    );
  const [source, mint, destination, authority] = transferIx.accountIndexes.map(
    (i) => accounts[i] as string,
  ) as [string, string, string, string];
  const payer = authority;
  // The fee payer pays the fee and nothing else: no fee payer of this facilitator is in any
  // instruction, as account or program, whatever static index (even a repeated one) names it.
  const isFeePayer = (index: number) => index === 0 || signerAddresses.includes(accounts[index] as string);
  if (instructions.some((ix) => isFeePayer(ix.programIdIndex) || ix.accountIndexes.some(isFeePayer)))
    return fail(R.FeePayerTransferringFunds, "the fee payer may not appear in any instruction", payer);
  for (const own of signerAddresses)
    if ((await findAssociatedTokenAddress(own, mint, tokenProgram)) === source)
      return fail(R.FeePayerTransferringFunds, "the transfer spends a fee payer's token account", payer);
  if (mint !== expected.asset) return fail(R.MintMismatch, `mint ${mint} is not ${expected.asset}`, payer);
  const payToAccount = await findAssociatedTokenAddress(expected.payTo, expected.asset, tokenProgram);
  if (destination !== payToAccount)
    return fail(
      R.RecipientMismatch,
      `destination ${destination} is not payTo's token account ${payToAccount}`,
      payer,
    );
  const amount = view(transferIx.data).getBigUint64(1, true);
  if (!/^\d+$/.test(expected.amount) || amount !== BigInt(expected.amount))
    return fail(R.AmountMismatch, `transfer of ${amount}, required exactly ${expected.amount}`, payer);

  const memos: Uint8Array[] = [];
  for (let i = 3; i < instructions.length; i++) {
    const id = program(i);
    if (id === MEMO_PROGRAM_ADDRESS) memos.push((instructions[i] as { data: Uint8Array }).data);
    else if (id !== LIGHTHOUSE_PROGRAM_ADDRESS)
      return fail(ORDINALS[i - 3] ?? R.UnknownOptionalInstruction, `instruction ${i} invokes ${id}`, payer);
  }
  if (expected.memo !== undefined) {
    if (memos.length !== 1)
      return fail(R.MemoCount, `${memos.length} memo instructions (exactly 1 expected)`, payer);
    if (new TextDecoder().decode(memos[0]) !== expected.memo)
      return fail(R.MemoMismatch, "the memo differs from extra.memo", payer);
  }
  return { ok: true, payer };
}

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}
