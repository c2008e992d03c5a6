import { describeError, failedSettlement, type SettleResponse } from "@x402kit/core";
import { ExactEvmReason as R } from "../../reasons.js";
import type { SettlementLedger, SettlementRecord } from "./settlementLedger.js";
import {
  awaitSettlementCall,
  expectedTransfers,
  type SettlementCall,
  type SettlementTarget,
  type SettleTransferOptions,
  sendSettlement,
} from "./settleTransfer.js";
import { canRebroadcast, goneTwice, transactionFate } from "./transactionFate.js";

/**
 * Where {@link settleRecorded} and {@link followRecorded} keep a settlement: the ledger, the
 * key of the authorization, and the digest of the payment being settled.
 *
 * @example
 * ```ts
 * const options: RecordedSettlementOptions = { signer, network, receiptTimeoutMs: 20_000, ledger, key, digest };
 * ```
 */
export interface RecordedSettlementOptions extends SettleTransferOptions {
  ledger: SettlementLedger;
  key: string;
  digest: string;
  /** Stored with the record for older readers of EIP-3009 records. */
  target?: SettlementTarget;
}

/**
 * Settle a call through the ledger: sign → record (hash, nonce and signed bytes, before
 * anything can reach the chain) → broadcast → wait for the receipt → record the outcome. The
 * caller holds the authorization's guard ({@link SettlementLedger.claim}) and has checked
 * that no record exists. A receipt that does not come in time answers `settlement_pending`
 * and leaves the record for a retry or the reconciler; a broadcast the node refused forgets
 * the record (that transaction can never be mined), so a retry may settle afresh.
 *
 * @example
 * ```ts
 * const guard = await ledger.claim(key);
 * if (guard) try { return await settleRecorded(call, { signer, network, receiptTimeoutMs, ledger, key, digest }); } finally { await guard.release(); }
 * ```
 */
export async function settleRecorded(
  call: SettlementCall,
  options: RecordedSettlementOptions,
): Promise<SettleResponse> {
  const { ledger, key, digest, network, target } = options;
  const base: SettlementRecord = {
    digest,
    hash: "0x",
    payer: call.payer,
    transfers: [...call.transfers],
    network,
    ...(target ? { target: storableTarget(target) } : {}),
  };
  let record: SettlementRecord | undefined;
  const sent = await sendSettlement(call, {
    ...options,
    record: async (tx) => {
      const next: SettlementRecord = { ...base, ...tx, sentAt: Date.now() };
      record = next;
      await ledger.write(key, next);
    },
  });
  if ("response" in sent) {
    if (record) await ledger.forget(key).catch(() => undefined);
    return sent.response;
  }
  return finishRecorded({ ...(record ?? base), hash: sent.hash }, options);
}

/**
 * Answer a retry from the stored record of its authorization: `duplicate_settlement` for
 * another payment or for a success already answered (one success answer per authorization:
 * the server that got it delivered the content); an outcome nobody was told yet (found by the
 * reconciler) is answered once; a record without outcome is followed by waiting on its hash.
 *
 * @example
 * ```ts
 * const recorded = await ledger.read(key);
 * if (recorded) return followRecorded(recorded, { signer, network, receiptTimeoutMs, ledger, key, digest });
 * ```
 */
export async function followRecorded(
  record: SettlementRecord,
  options: RecordedSettlementOptions,
): Promise<SettleResponse> {
  const payer = recordPayer(record);
  const duplicate = () =>
    failedSettlement(
      options.network,
      R.DuplicateSettlement,
      `this authorization was already settled by transaction ${record.hash}`,
      payer,
    );
  if (record.digest !== options.digest) return duplicate();
  if (!record.response) {
    if (await forgottenAsGone(record, options))
      return {
        ...failedSettlement(
          options.network,
          R.SettlementPending,
          `transaction ${record.hash} was dropped and its nonce reused; it can never be mined, so the payment was not settled: send it again`,
          payer,
        ),
        transaction: record.hash,
      };
    return finishRecorded(record, options);
  }
  if (record.answered !== false) return record.response.success ? duplicate() : record.response;
  return answerOnce(record, record.response, options);
}

/**
 * Before waiting on a retry: a transaction the node does not know is broadcast again with its
 * signed bytes (always safe: same nonce, same payment — it fills the nonce or is refused);
 * one whose nonce another transaction took is forgotten (true), so the next retry settles afresh.
 */
async function forgottenAsGone(
  record: SettlementRecord,
  options: RecordedSettlementOptions,
): Promise<boolean> {
  const fate = await transactionFate(options.signer, record, options.key).catch(() => undefined);
  // Forgotten only when seen gone twice, some time apart, with the authorization still unspent.
  if (fate?.state === "gone" && (await goneTwice(options.ledger, options.key, record))) {
    await options.ledger.forget(options.key);
    return true;
  }
  if (fate?.state === "unknown" && canRebroadcast(options.signer, record))
    await options.signer.rebroadcast?.(record.serialized).catch(() => undefined);
  return false;
}

/**
 * Wait for the receipt of a recorded settlement; a final outcome is stored as answered.
 *
 * @example
 * ```ts
 * const response = await finishRecorded(record, { signer, network, receiptTimeoutMs, ledger, key, digest });
 * ```
 */
export async function finishRecorded(
  record: SettlementRecord,
  options: RecordedSettlementOptions,
): Promise<SettleResponse> {
  const response = await awaitSettlementCall(
    { payer: recordPayer(record) ?? "", transfers: recordTransfers(record) },
    record.hash,
    options,
  );
  if (response.errorReason === R.SettlementPending) return response;
  return answerOnce(record, response, options);
}

/** Store `response` as answered, then give it; an unstored success is answered as pending. */
async function answerOnce(
  record: SettlementRecord,
  response: SettleResponse,
  { ledger, key }: RecordedSettlementOptions,
): Promise<SettleResponse> {
  try {
    await ledger.write(key, { ...record, response, answered: true });
  } catch (error) {
    // Unrecorded, a success could be answered twice (another copy would resume this record):
    // say "pending" instead, so the retry records and answers it.
    if (response.success)
      return {
        ...failedSettlement(
          response.network,
          R.SettlementPending,
          `outcome not recorded: ${describeError(error)}`,
        ),
        transaction: record.hash,
        ...(response.payer ? { payer: response.payer } : {}),
      };
  }
  return response;
}

/**
 * The payer of a record (new records name it; older EIP-3009 ones carry the authorization).
 *
 * @example
 * ```ts
 * recordPayer(record); // "0x3C44…"
 * ```
 */
export function recordPayer(record: SettlementRecord): string | undefined {
  return record.payer ?? record.target?.authorization.from;
}

/**
 * The Transfer events a record's receipt must show.
 *
 * @example
 * ```ts
 * recordTransfers(record); // [{ asset, from, to, value }]
 * ```
 */
export function recordTransfers(record: SettlementRecord): SettlementCall["transfers"] {
  return record.transfers ?? (record.target ? expectedTransfers(record.target) : []);
}

function storableTarget({ asset, authorization }: SettlementTarget): SettlementTarget {
  return {
    asset,
    authorization: { from: authorization.from, to: authorization.to, value: authorization.value },
  };
}
