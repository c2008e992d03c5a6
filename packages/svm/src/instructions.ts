import { AccountRole, type Address, type Instruction, type TransactionSigner } from "@solana/kit";
import { COMPUTE_BUDGET_PROGRAM_ADDRESS, MEMO_PROGRAM_ADDRESS } from "./constants.js";

/**
 * Compute Budget `SetComputeUnitLimit` (`[2, u32 LE]`).
 *
 * @example
 * ```ts
 * setComputeUnitLimitInstruction(20_000);
 * ```
 */
export function setComputeUnitLimitInstruction(units: number): Instruction {
  const data = new Uint8Array(5);
  data[0] = 2;
  new DataView(data.buffer).setUint32(1, units, true);
  return { programAddress: COMPUTE_BUDGET_PROGRAM_ADDRESS as Address, data };
}

/**
 * Compute Budget `SetComputeUnitPrice` (`[3, u64 LE microlamports]`).
 *
 * @example
 * ```ts
 * setComputeUnitPriceInstruction(1n);
 * ```
 */
export function setComputeUnitPriceInstruction(microLamports: bigint): Instruction {
  const data = new Uint8Array(9);
  data[0] = 3;
  new DataView(data.buffer).setBigUint64(1, microLamports, true);
  return { programAddress: COMPUTE_BUDGET_PROGRAM_ADDRESS as Address, data };
}

/**
 * SPL Token / Token-2022 `TransferChecked` (`[12, u64 LE amount, u8 decimals]`; accounts
 * source, mint, destination, authority). The authority carries its signer, so kit's
 * `partiallySignTransactionMessageWithSigners` signs for it.
 *
 * @example
 * ```ts
 * transferCheckedInstruction({ tokenProgram, source, mint, destination, authority: signer, amount: 10_000n, decimals: 6 });
 * ```
 */
export function transferCheckedInstruction(args: {
  tokenProgram: string;
  source: string;
  mint: string;
  destination: string;
  authority: TransactionSigner;
  amount: bigint;
  decimals: number;
}): Instruction {
  const data = new Uint8Array(10);
  data[0] = 12;
  new DataView(data.buffer).setBigUint64(1, args.amount, true);
  data[9] = args.decimals;
  return {
    programAddress: args.tokenProgram as Address,
    accounts: [
      { address: args.source as Address, role: AccountRole.WRITABLE },
      { address: args.mint as Address, role: AccountRole.READONLY },
      { address: args.destination as Address, role: AccountRole.WRITABLE },
      { address: args.authority.address, role: AccountRole.READONLY_SIGNER, signer: args.authority } as never,
    ],
    data,
  };
}

/**
 * SPL Memo with UTF-8 `text` and no signer accounts.
 *
 * @example
 * ```ts
 * memoInstruction("order-42");
 * ```
 */
export function memoInstruction(text: string): Instruction {
  return { programAddress: MEMO_PROGRAM_ADDRESS as Address, data: new TextEncoder().encode(text) };
}
