import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type TransactionSigner,
} from "@solana/kit";
import { X402Error } from "@x402kit/core";
import { findAssociatedTokenAddress } from "../../ata.js";
import {
  DEFAULT_COMPUTE_UNIT_LIMIT,
  DEFAULT_COMPUTE_UNIT_PRICE_MICROLAMPORTS,
  MAX_MEMO_BYTES,
} from "../../constants.js";
import { base58ToBytes } from "../../encoding.js";
import {
  memoInstruction,
  setComputeUnitLimitInstruction,
  setComputeUnitPriceInstruction,
  transferCheckedInstruction,
} from "../../instructions.js";
import { validateSvmAddress } from "../../network.js";
import type { SvmRpc } from "../../rpc.js";
import { type MintInfo, readMint } from "./mintInfo.js";

/** What a transfer payment needs, read from one requirement (v1 or v2). */
export interface TransferRequest {
  network: string;
  asset: string;
  payTo: string;
  amount: string;
  extra: Record<string, unknown> | undefined;
}

/**
 * Build the x402 `exact` transfer transaction and sign it as the payer, leaving the fee
 * payer's slot (index 0) empty for the facilitator: SetComputeUnitLimit, SetComputeUnitPrice,
 * TransferChecked from the payer's ATA to `payTo`'s ATA (same token program as the mint),
 * and a Memo (`extra.memo`, or 16 random bytes as hex so equal payments differ). Returns the
 * base64 wire transaction.
 *
 * @throws {X402Error} `invalid_payment_requirements` for a missing fee payer, bad addresses or
 * amount, a memo over 256 bytes, or a mint no token program owns.
 * @example
 * ```ts
 * const transaction = await buildTransferTransaction(signer, rpc, mints, request);
 * ```
 */
export async function buildTransferTransaction(
  signer: TransactionSigner,
  rpc: SvmRpc,
  mints: Map<string, Promise<MintInfo>>,
  request: TransferRequest,
): Promise<string> {
  const extra = request.extra ?? {};
  const feePayer = extra.feePayer;
  if (typeof feePayer !== "string" || !validateSvmAddress(feePayer))
    throw invalid("extra.feePayer (the facilitator's fee payer address) is required");
  for (const [field, value] of [
    ["asset", request.asset],
    ["payTo", request.payTo],
  ] as const)
    if (!validateSvmAddress(value)) throw invalid(`${field} "${value}" is not a Solana address`);
  if (!/^\d+$/.test(request.amount)) throw invalid("amount must be atomic base-10 digits");
  const memo = extra.memo === undefined ? randomMemo() : extra.memo;
  if (typeof memo !== "string" || new TextEncoder().encode(memo).length > MAX_MEMO_BYTES)
    throw invalid(`extra.memo must be a string of at most ${MAX_MEMO_BYTES} UTF-8 bytes`);

  let mintPromise = mints.get(request.asset);
  if (!mintPromise) {
    mintPromise = readMint(rpc, request.asset);
    mints.set(request.asset, mintPromise);
    mintPromise.catch(() => mints.delete(request.asset));
  }
  const [mint, lifetime] = await Promise.all([mintPromise, resolveBlockhash(rpc, { extra })]);
  const [source, destination] = await Promise.all([
    findAssociatedTokenAddress(signer.address, request.asset, mint.tokenProgram),
    findAssociatedTokenAddress(request.payTo, request.asset, mint.tokenProgram),
  ]);
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(feePayer as Address, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(lifetime, m),
    (m) =>
      appendTransactionMessageInstructions(
        [
          setComputeUnitLimitInstruction(DEFAULT_COMPUTE_UNIT_LIMIT),
          setComputeUnitPriceInstruction(BigInt(DEFAULT_COMPUTE_UNIT_PRICE_MICROLAMPORTS)),
          transferCheckedInstruction({
            tokenProgram: mint.tokenProgram,
            source,
            mint: request.asset,
            destination,
            authority: signer,
            amount: BigInt(request.amount),
            decimals: mint.decimals,
          }),
          memoInstruction(memo),
        ],
        m,
      ),
  );
  const signed = await partiallySignTransactionMessageWithSigners(message);
  return getBase64EncodedWireTransaction(signed);
}

/**
 * The lifetime of a payment transaction: the requirement's `extra.recentBlockhash` when it is a
 * well-formed 32-byte base58 hash (saves an RPC call), else the RPC's latest blockhash.
 *
 * @example
 * ```ts
 * const { blockhash, lastValidBlockHeight } = await resolveBlockhash(rpc, requirements);
 * ```
 */
export async function resolveBlockhash(
  rpc: SvmRpc,
  requirements: { extra?: Record<string, unknown> | null },
): Promise<{ blockhash: Blockhash; lastValidBlockHeight: bigint }> {
  const extra = requirements.extra ?? {};
  const hint = extra.recentBlockhash;
  if (typeof hint === "string" && isHash(hint)) {
    const height = typeof extra.lastValidBlockHeight === "string" && /^\d+$/.test(extra.lastValidBlockHeight);
    return {
      blockhash: hint as Blockhash,
      lastValidBlockHeight: height ? BigInt(extra.lastValidBlockHeight as string) : 0n,
    };
  }
  const { value } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
  return value;
}

function isHash(text: string): boolean {
  try {
    return base58ToBytes(text).length === 32;
  } catch {
    return false;
  }
}

function randomMemo(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function invalid(message: string): X402Error {
  return new X402Error("invalid_payment_requirements", message);
}
