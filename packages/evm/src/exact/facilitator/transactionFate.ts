import type { SettlementRecord } from "./settlementLedger.js";
import type { EvmReceipt, FacilitatorEvmSigner } from "./signer.js";

/**
 * Where a recorded settlement transaction stands: `mined` (with its receipt), `known` (in the
 * node's mempool), `gone` (not mined and its nonce taken by another transaction: it can never
 * be mined) or `unknown` (not mined, not in the mempool, its nonce still free — dropped, or
 * never sent because the facilitator stopped between recording and broadcasting).
 *
 * @example
 * ```ts
 * const fate = await transactionFate(signer, record);
 * if (fate.state === "unknown" && record.serialized) await signer.rebroadcast?.(record.serialized);
 * ```
 */
export type TransactionFate =
  | { state: "mined"; receipt: EvmReceipt }
  | { state: "known" }
  | { state: "gone" }
  | { state: "unknown" };

/**
 * Ask the chain about a recorded transaction. Undefined when the signer lacks the optional
 * reads ({@link FacilitatorEvmSigner.getTransactionReceipt}, `isTransactionKnown`).
 *
 * @example
 * ```ts
 * const fate = await transactionFate(signer, record); // { state: "known" }
 * ```
 */
export async function transactionFate(
  signer: FacilitatorEvmSigner,
  record: SettlementRecord,
): Promise<TransactionFate | undefined> {
  if (!signer.getTransactionReceipt || !signer.isTransactionKnown) return undefined;
  // The mined count is read before the receipt: a nonce mined by this very transaction then
  // shows a receipt, so "count passed, no receipt" proves another transaction took the nonce.
  const minedNonce =
    record.from && record.nonce !== undefined && signer.getMinedNonce
      ? await signer.getMinedNonce(record.from)
      : undefined;
  const receipt = await signer.getTransactionReceipt(record.hash);
  if (receipt) return { state: "mined", receipt };
  if (await signer.isTransactionKnown(record.hash)) return { state: "known" };
  if (minedNonce !== undefined && record.nonce !== undefined && minedNonce > record.nonce)
    return { state: "gone" };
  return { state: "unknown" };
}

/**
 * True when `record` holds signed bytes that can be broadcast again.
 *
 * @example
 * ```ts
 * if (canRebroadcast(signer, record)) await signer.rebroadcast?.(record.serialized);
 * ```
 */
export function canRebroadcast(
  signer: FacilitatorEvmSigner,
  record: SettlementRecord,
): record is SettlementRecord & { serialized: `0x${string}` } {
  return Boolean(record.serialized && record.serialized !== "0x" && signer.rebroadcast);
}
