import { describeError, failedSettlement, type SettleResponse } from "@x402kit/core";
import { ExactEvmReason as R } from "../../reasons.js";
import type {
  ExpectedTransfer,
  SettlementCall,
  SettlementTarget,
  SettleTransferOptions,
} from "./settleTransfer.js";
import type { EvmReceipt } from "./signer.js";

/** keccak256("Transfer(address,address,uint256)") */
const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
const TX_HASH = /^0x[0-9a-fA-F]{64}$/;

/**
 * The Transfer a {@link SettlementTarget} expects.
 *
 * @example
 * ```ts
 * expectedTransfers({ asset, authorization: { from, to, value } }); // [{ asset, from, to, value }]
 * ```
 */
export function expectedTransfers(target: SettlementTarget): ExpectedTransfer[] {
  const { from, to, value } = target.authorization;
  return [{ asset: target.asset, from, to, value }];
}

/**
 * Wait for the receipt of an EIP-3009 settlement and check that it moved the money.
 *
 * @example
 * ```ts
 * const response = await awaitSettlement(payment, pendingHash, options);
 * ```
 */
export async function awaitSettlement(
  payment: SettlementTarget,
  hash: `0x${string}`,
  options: SettleTransferOptions,
): Promise<SettleResponse> {
  return awaitSettlementCall(
    { payer: payment.authorization.from, transfers: expectedTransfers(payment) },
    hash,
    options,
  );
}

/**
 * Wait for the receipt of any settlement transaction and judge it with
 * {@link judgeSettlementReceipt}. A receipt timeout answers `settlement_pending` with the hash.
 *
 * @example
 * ```ts
 * const response = await awaitSettlementCall(call, hash, { signer, network, receiptTimeoutMs: 20_000 });
 * ```
 */
export async function awaitSettlementCall(
  expected: Pick<SettlementCall, "payer" | "transfers">,
  hash: `0x${string}`,
  { signer, network, receiptTimeoutMs }: SettleTransferOptions,
): Promise<SettleResponse> {
  if (!TX_HASH.test(hash) || /^0x0+$/.test(hash))
    return failedSettlement(
      network,
      R.TransactionFailed,
      `malformed transaction hash ${hash}`,
      expected.payer,
    );
  let receipt: EvmReceipt;
  try {
    receipt = await signer.waitForTransactionReceipt(hash, receiptTimeoutMs);
  } catch (error) {
    return {
      ...failedSettlement(
        network,
        R.SettlementPending,
        `no receipt yet: ${describeError(error)}`,
        expected.payer,
      ),
      transaction: hash,
    };
  }
  return judgeSettlementReceipt(expected, hash, receipt, network);
}

/**
 * The answer a mined settlement deserves: success when the status is success and every
 * expected Transfer log is there; otherwise `transaction_failed` or `transfer_event_mismatch`.
 * `amount` is the first transfer's value.
 *
 * @example
 * ```ts
 * const response = judgeSettlementReceipt(call, hash, receipt, "eip155:8453");
 * ```
 */
export function judgeSettlementReceipt(
  expected: Pick<SettlementCall, "payer" | "transfers">,
  hash: `0x${string}`,
  receipt: EvmReceipt,
  network: string,
): SettleResponse {
  const failure = (reason: string, message: string): SettleResponse => ({
    ...failedSettlement(network, reason, message, expected.payer),
    transaction: hash,
  });
  if (receipt.status !== "success")
    return failure(R.TransactionFailed, "the settlement transaction reverted");
  const missing = expected.transfers.find(
    (t) => !receipt.logs.some((log) => isTransferLog(log, t.asset, t.from, t.to, BigInt(t.value))),
  );
  if (missing)
    return failure(
      R.TransferEventMismatch,
      `no Transfer(${missing.from}, ${missing.to}, ${missing.value}) event from ${missing.asset}`,
    );
  const amount = expected.transfers[0]?.value;
  return {
    success: true,
    transaction: hash,
    network,
    payer: expected.payer,
    ...(amount === undefined ? {} : { amount }),
  };
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
