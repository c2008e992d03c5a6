import { type AccountAuthenticator, AptosApiError, generateUserTransactionHash } from "@aptos-labs/ts-sdk";
import { describeError, failedSettlement, type SettleResponse } from "@x402kit/core";
import type { AptosPayment } from "../../payload.js";
import { ExactAptosReason as R } from "../../reasons.js";
import type { AptosSettlementLedger, AptosSettlementRecord } from "./settlementLedger.js";
import {
  AptosTransactionFailedError,
  AptosTransactionPendingError,
  type FacilitatorAptosSigner,
} from "./signer.js";

/**
 * What {@link submitRecorded} and {@link followRecorded} work with: the signer, the ledger and
 * key of the payment, its digest, and how long after its expiration a transaction the node
 * does not show is declared never committed.
 *
 * @example
 * ```ts
 * const flow: AptosSettlementFlow = { signer, ledger, key, digest, network: "aptos:2", expirationMarginSeconds: 60 };
 * ```
 */
export interface AptosSettlementFlow {
  signer: FacilitatorAptosSigner;
  ledger: AptosSettlementLedger;
  key: string;
  digest: string;
  network: string;
  expirationMarginSeconds: number;
}

/**
 * Settle a checked payment: co-sign, compute the transaction hash, record it (nothing is sent if
 * that write fails), submit, wait. A retry — here or on an instance sharing the store, after a
 * crash too — finds the record and follows that hash ({@link followRecorded}). A submission the
 * node refused (HTTP 4xx) forgets the record: that transaction was not accepted. The caller holds
 * the payment's guard and found no record.
 *
 * @example
 * ```ts
 * return await submitRecorded(checked.payment, checked.payer, flow);
 * ```
 */
export async function submitRecorded(
  payment: AptosPayment,
  payer: string,
  flow: AptosSettlementFlow,
): Promise<SettleResponse> {
  const { ledger, key, digest, network } = flow;
  const expiresAt = Number(payment.transaction.rawTransaction.expiration_timestamp_secs);
  const hash = expectedHash(payment, flow);
  const record: AptosSettlementRecord = { digest, hash: hash ?? "", payer, expiresAt };
  // From this write on, a retry follows the hash, whatever happens to this call.
  if (hash) await ledger.write(key, record);
  let submitted: string;
  try {
    submitted = (await send(payment, flow)).hash;
  } catch (error) {
    const message = describeError(error);
    if (!hash || isRefusal(error)) {
      if (hash) await ledger.forget(key);
      return failedSettlement(network, `${R.TransactionFailed}: ${message}`, message, payer);
    }
    // The node may have it (a lost answer): a retry follows the recorded hash.
    return pending(flow, record, `submission unanswered: ${message}`);
  }
  // A signer whose co-signature was not the one computed (or not computable) submitted another hash.
  const sent = { ...record, hash: submitted };
  if (submitted !== hash) await ledger.write(key, sent);
  return finishRecorded(sent, flow);
}

/**
 * Follow a recorded, unanswered settlement of this same payment: submit its identical bytes again
 * (a node that never got them, e.g. after a crash, accepts them; one that has them ignores the
 * copy), then wait for the recorded hash.
 *
 * @example
 * ```ts
 * if (recorded.digest === digest && !recorded.response) return followRecorded(recorded, payment, flow);
 * ```
 */
export async function followRecorded(
  record: AptosSettlementRecord,
  payment: AptosPayment | undefined,
  flow: AptosSettlementFlow,
): Promise<SettleResponse> {
  const live = record.expiresAt === undefined || record.expiresAt > Date.now() / 1000;
  if (payment && live && expectedHash(payment, flow) === record.hash)
    await send(payment, flow).catch(() => undefined);
  return finishRecorded(record, flow);
}

/**
 * Wait for a recorded transaction. Final outcomes — committed (success or not), or not committed
 * by its expiration plus the margin — are stored for later retries and carry the hash; anything
 * else answers `settlement_pending`.
 *
 * @example
 * ```ts
 * const response = await finishRecorded(record, flow);
 * ```
 */
export async function finishRecorded(
  record: AptosSettlementRecord,
  flow: AptosSettlementFlow,
): Promise<SettleResponse> {
  const { signer, ledger, key, network } = flow;
  let response: SettleResponse;
  try {
    await signer.waitForTransaction(record.hash, network);
    response = { success: true, transaction: record.hash, network, payer: record.payer };
  } catch (error) {
    const message = describeError(error);
    if (error instanceof AptosTransactionFailedError)
      response = failedWithHash(flow, record, `${R.TransactionFailed}: ${error.vmStatus}`, message);
    else if (error instanceof AptosTransactionPendingError && neverCommits(record, flow))
      response = failedWithHash(
        flow,
        record,
        `${R.TransactionFailed}: not committed before it expired`,
        `${record.hash} expired at ${record.expiresAt} without being committed; nothing was charged`,
      );
    else return pending(flow, record, message);
  }
  try {
    await ledger.write(key, { ...record, response });
  } catch (error) {
    // Unrecorded, a success could be answered twice: say "pending", the retry records it.
    if (response.success) return pending(flow, record, `outcome not recorded: ${describeError(error)}`);
  }
  return response;
}

/** The hash the submission will have, when it can be known beforehand. */
function expectedHash(payment: AptosPayment, flow: AptosSettlementFlow): string | undefined {
  const { transaction, senderAuthenticator } = payment;
  let feePayerAuthenticator: AccountAuthenticator | undefined;
  if (transaction.feePayerAddress) {
    if (!flow.signer.signAsFeePayer) return undefined;
    feePayerAuthenticator = flow.signer.signAsFeePayer(transaction, flow.network);
  }
  return generateUserTransactionHash({
    transaction,
    senderAuthenticator,
    ...(feePayerAuthenticator ? { feePayerAuthenticator } : {}),
  });
}

function send(payment: AptosPayment, { signer, network }: AptosSettlementFlow) {
  const { transaction, senderAuthenticator } = payment;
  return transaction.feePayerAddress
    ? signer.signAndSubmitAsFeePayer(transaction, senderAuthenticator, network)
    : signer.submitTransaction(transaction, senderAuthenticator, network);
}

/** The node answered and refused the transaction (not a rate limit or a timeout). */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof AptosApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

function neverCommits(record: AptosSettlementRecord, flow: AptosSettlementFlow): boolean {
  return (
    record.expiresAt !== undefined && Date.now() / 1000 > record.expiresAt + flow.expirationMarginSeconds
  );
}

function failedWithHash(
  flow: AptosSettlementFlow,
  record: AptosSettlementRecord,
  reason: string,
  message: string,
): SettleResponse {
  return { ...failedSettlement(flow.network, reason, message, record.payer), transaction: record.hash };
}

function pending(flow: AptosSettlementFlow, record: AptosSettlementRecord, message: string): SettleResponse {
  return failedWithHash(flow, record, R.SettlementPending, message);
}
