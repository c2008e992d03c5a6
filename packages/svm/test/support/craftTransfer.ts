import {
  AccountRole,
  type Address,
  appendTransactionMessageInstructions,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  type Instruction,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type TransactionSigner,
} from "@solana/kit";
import type { SolanaDevnet, SolanaDevnetMint } from "@x402kit/devnet/solana";
import {
  memoInstruction,
  setComputeUnitLimitInstruction,
  setComputeUnitPriceInstruction,
  transferCheckedInstruction,
} from "../../src/instructions.js";

/** What an attacker may change in an otherwise well-formed x402 transfer. */
export interface CraftOptions {
  payer: TransactionSigner;
  feePayer: string;
  payTo: string;
  amount: bigint;
  mint?: SolanaDevnetMint;
  computeUnitLimit?: number;
  computeUnitPrice?: bigint;
  /** Accounts appended to the TransferChecked (read-only, not signing). */
  extraTransferAccounts?: string[];
  /** Defaults: payer's ATA, payTo's ATA, payer. */
  source?: string;
  destination?: string;
  /** An address that signs nothing (e.g. the fee payer) as the transfer authority. */
  authorityAddress?: string;
  extraInstructions?: Instruction[];
}

/**
 * Builds a transfer transaction the way an attacker could: the x402 layout with one field
 * changed. Test-only; the client under test is `ExactSvmScheme`.
 */
export async function craftTransfer(devnet: SolanaDevnet, options: CraftOptions): Promise<string> {
  const mint = options.mint ?? devnet.usdc;
  const source = options.source ?? (await devnet.tokenAccount(options.payer.address, mint));
  const destination = options.destination ?? (await devnet.tokenAccount(options.payTo, mint));
  let transfer = transferCheckedInstruction({
    tokenProgram: mint.tokenProgram,
    source,
    mint: mint.address,
    destination,
    authority: options.payer,
    amount: options.amount,
    decimals: 6,
  });
  if (options.extraTransferAccounts) {
    const extra = options.extraTransferAccounts.map((address) => ({
      address: address as Address,
      role: AccountRole.READONLY,
    }));
    transfer = { ...transfer, accounts: [...(transfer.accounts ?? []), ...extra] };
  }
  if (options.authorityAddress) {
    const accounts = [...(transfer.accounts ?? [])];
    accounts[3] = { address: options.authorityAddress as Address, role: AccountRole.READONLY_SIGNER };
    transfer = { ...transfer, accounts };
  }
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(options.feePayer as Address, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: devnet.svm.latestBlockhash() as never, lastValidBlockHeight: 0n },
        m,
      ),
    (m) =>
      appendTransactionMessageInstructions(
        [
          setComputeUnitLimitInstruction(options.computeUnitLimit ?? 20_000),
          setComputeUnitPriceInstruction(options.computeUnitPrice ?? 1n),
          transfer,
          memoInstruction(crypto.randomUUID()),
          ...(options.extraInstructions ?? []),
        ],
        m,
      ),
  );
  return getBase64EncodedWireTransaction(await partiallySignTransactionMessageWithSigners(message));
}

/** A System Program transfer of lamports (an instruction x402 does not allow). */
export function systemTransfer(from: TransactionSigner, to: string, lamports: bigint): Instruction {
  const data = new Uint8Array(12);
  new DataView(data.buffer).setUint32(0, 2, true);
  new DataView(data.buffer).setBigUint64(4, lamports, true);
  return {
    programAddress: "11111111111111111111111111111111" as Address,
    accounts: [
      { address: from.address, role: AccountRole.WRITABLE_SIGNER, signer: from } as never,
      { address: to as Address, role: AccountRole.WRITABLE },
    ],
    data,
  };
}
