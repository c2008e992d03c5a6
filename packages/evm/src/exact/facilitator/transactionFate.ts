import { authorizationSpent } from "./authorizationSpent.js";
import type { SettlementLedger, SettlementRecord } from "./settlementLedger.js";
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
  | { state: "spent" }
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
  /** The record's ledger key: with it, "gone" is only said of an authorization still unspent. */
  key?: string,
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
  if (minedNonce !== undefined && record.nonce !== undefined && minedNonce > record.nonce) {
    // A lagging or load-balanced RPC may miss a mined receipt: the authorization's state on
    // chain is the proof. Spent (by this transaction or another), the money moved: never "gone".
    // Unreadable: not proven gone either.
    if (key === undefined) return { state: "unknown" };
    const spent = await authorizationSpent(signer, key);
    if (spent === false) return { state: "gone" };
    return spent ? { state: "spent" } : { state: "unknown" };
  }
  return { state: "unknown" };
}

/** How far apart two "gone" observations must be before a record is forgotten. Default 30 000 ms. */
export const GONE_CONFIRM_MS = 30_000;

/**
 * True when `record` was already seen "gone" at least `confirmMs` ago (a second observation,
 * some blocks later: one misread cannot forget a paid settlement). Otherwise this observation
 * is written into the record (`goneSeenAt`) and false is answered.
 *
 * @example
 * ```ts
 * if (fate.state === "gone" && (await goneTwice(ledger, key, record))) await ledger.forget(key);
 * ```
 */
export async function goneTwice(
  ledger: SettlementLedger,
  key: string,
  record: SettlementRecord,
  confirmMs = GONE_CONFIRM_MS,
): Promise<boolean> {
  if (record.goneSeenAt !== undefined) return Date.now() - record.goneSeenAt >= confirmMs;
  await ledger.write(key, { ...record, goneSeenAt: Date.now() });
  return false;
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
