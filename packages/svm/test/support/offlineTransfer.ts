import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  createTransactionMessage,
  getTransactionEncoder,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type TransactionSigner,
} from "@solana/kit";
import { TOKEN_PROGRAM_ADDRESS, USDC_DEVNET_ADDRESS } from "../../src/constants.js";
import {
  memoInstruction,
  setComputeUnitLimitInstruction,
  setComputeUnitPriceInstruction,
  transferCheckedInstruction,
} from "../../src/instructions.js";

/** An x402-shaped transfer built without any chain (fixed blockhash, made-up token accounts). Test-only. */
export async function craftOfflineTransfer(payer: TransactionSigner, feePayer: string): Promise<Uint8Array> {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(feePayer as Address, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: "CmpNeggWJ4JaWJeJ8YKN1Zypmk7uvQq3PECGUCAEMbky" as Blockhash, lastValidBlockHeight: 0n },
        m,
      ),
    (m) =>
      appendTransactionMessageInstructions(
        [
          setComputeUnitLimitInstruction(20_000),
          setComputeUnitPriceInstruction(1n),
          transferCheckedInstruction({
            tokenProgram: TOKEN_PROGRAM_ADDRESS,
            source: "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin",
            mint: USDC_DEVNET_ADDRESS,
            destination: "8UPUsD9KBQM2b67mzYvccXE3D85Vo8SZi1tHLYbcWA9f",
            authority: payer,
            amount: 10_000n,
            decimals: 6,
          }),
          memoInstruction(crypto.randomUUID()),
        ],
        m,
      ),
  );
  return new Uint8Array(
    getTransactionEncoder().encode(await partiallySignTransactionMessageWithSigners(message)),
  );
}
