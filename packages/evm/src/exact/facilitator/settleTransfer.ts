import { describeError, failedSettlement, type SettleResponse } from "@x402kit/core";
import { ExactEvmReason as R } from "../../reasons.js";
import type { CheckedPayment } from "./checkPayment.js";
import { reasonFromRevert } from "./revertReasons.js";
import { BroadcastUncertainError, type EvmReceipt, type FacilitatorEvmSigner } from "./signer.js";
import { encodeTransferWithAuthorization } from "./transferCalldata.js";

/** keccak256("Transfer(address,address,uint256)") */
const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
const TX_HASH = /^0x[0-9a-fA-F]{64}$/;

/** What settling needs besides the payment. */
export interface SettleTransferOptions {
  signer: FacilitatorEvmSigner;
  network: string;
  receiptTimeoutMs: number;
}

/**
 * What a settlement transaction must show to count: the asset that emits `Transfer` and the
 * authorization's `from`, `to` and `value`. A {@link CheckedPayment} is one.
 *
 * @example
 * ```ts
 * const target: SettlementTarget = { asset: usdc, authorization: { from, to, value: "10000" } };
 * ```
 */
export interface SettlementTarget {
  asset: `0x${string}`;
  authorization: { from: string; to: string; value: string };
}

/** Outcome of {@link sendTransfer}: the transaction to follow, or why nothing was sent. */
export type SendTransferResult = { hash: `0x${string}` } | { response: SettleResponse };

/**
 * Broadcast `transferWithAuthorization` for a verified payment, without waiting. A send that
 * failed in transit after signing still yields the hash (the money may be moving); a send
 * the node refused yields a failed {@link SettleResponse}.
 *
 * @example
 * ```ts
 * const sent = await sendTransfer(payment, options);
 * if ("hash" in sent) await ledger.savePending(key, sent.hash);
 * ```
 */
export async function sendTransfer(
  payment: CheckedPayment,
  options: SettleTransferOptions,
): Promise<SendTransferResult> {
  try {
    return {
      hash: await options.signer.sendTransaction({
        to: payment.asset,
        data: encodeTransferWithAuthorization(payment),
      }),
    };
  } catch (error) {
    // Possibly on its way: follow the transaction rather than call the payment failed.
    if (error instanceof BroadcastUncertainError) return { hash: error.hash };
    const message = describeError(error);
    return {
      response: failedSettlement(
        options.network,
        reasonFromRevert(message),
        message,
        payment.authorization.from,
      ),
    };
  }
}

/**
 * Broadcast `transferWithAuthorization` for a verified payment and wait for its receipt.
 * A receipt timeout is not a failure of the payment: it answers `settlement_pending`
 * with the hash, which {@link awaitSettlement} can pick up later.
 *
 * @example
 * ```ts
 * const response = await broadcastTransfer(payment, { signer, network: "eip155:8453", receiptTimeoutMs: 60_000 });
 * ```
 */
export async function broadcastTransfer(
  payment: CheckedPayment,
  options: SettleTransferOptions,
): Promise<SettleResponse> {
  const sent = await sendTransfer(payment, options);
  return "hash" in sent ? awaitSettlement(payment, sent.hash, options) : sent.response;
}

/**
 * Wait for the receipt of a settlement transaction and check that it moved the money:
 * status success and a `Transfer(from, to, value)` log emitted by the asset.
 *
 * @example
 * ```ts
 * const response = await awaitSettlement(payment, pendingHash, options);
 * ```
 */
export async function awaitSettlement(
  payment: SettlementTarget,
  hash: `0x${string}`,
  { signer, network, receiptTimeoutMs }: SettleTransferOptions,
): Promise<SettleResponse> {
  const { from, to, value } = payment.authorization;
  const failure = (
    errorReason: string,
    errorMessage: string,
    transaction: string = hash,
  ): SettleResponse => ({
    success: false,
    errorReason,
    errorMessage,
    transaction,
    network,
    payer: from,
  });
  if (!TX_HASH.test(hash) || /^0x0+$/.test(hash))
    return failure(R.TransactionFailed, `malformed transaction hash ${hash}`, "");
  let receipt: EvmReceipt;
  try {
    receipt = await signer.waitForTransactionReceipt(hash, receiptTimeoutMs);
  } catch (error) {
    return failure(R.SettlementPending, `no receipt yet: ${describeError(error)}`);
  }
  if (receipt.status !== "success")
    return failure(R.TransactionFailed, "the settlement transaction reverted");
  if (!receipt.logs.some((log) => isTransferLog(log, payment.asset, from, to, BigInt(value))))
    return failure(
      R.TransferEventMismatch,
      `no Transfer(${from}, ${to}, ${value}) event from ${payment.asset}`,
    );
  return { success: true, transaction: hash, network, payer: from, amount: value };
}

function isTransferLog(
  log: EvmReceipt["logs"][number],
  asset: string,
  from: string,
  to: string,
  value: bigint,
): boolean {
  const [topic, fromTopic, toTopic] = log.topics;
  return (
    log.address.toLowerCase() === asset.toLowerCase() &&
    topic === TRANSFER_TOPIC &&
    topicAddress(fromTopic) === from.toLowerCase() &&
    topicAddress(toTopic) === to.toLowerCase() &&
    log.data.length === 66 &&
    BigInt(log.data) === value
  );
}

function topicAddress(topic: string | undefined): string | undefined {
  return topic && `0x${topic.slice(-40)}`.toLowerCase();
}
