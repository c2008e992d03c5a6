import { describeError, failedSettlement, type SettleResponse } from "@x402kit/core";
import { ExactEvmReason as R } from "../../reasons.js";
import type { CheckedPayment } from "./checkPayment.js";
import { deployCounterfactualWallet } from "./deployCounterfactualWallet.js";
import { reasonFromRevert } from "./revertReasons.js";
import {
  BroadcastUncertainError,
  type EvmReceipt,
  type FacilitatorEvmSigner,
  GasPriceAboveCapError,
  type SignedEvmTransaction,
} from "./signer.js";
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

/**
 * A Transfer event a settlement's receipt must contain: emitted by `asset`, moving exactly
 * `value` (base units, decimal string) from `from` to `to`.
 *
 * @example
 * ```ts
 * const expected: ExpectedTransfer = { asset: usdc, from: payer, to: payTo, value: "10000" };
 * ```
 */
export interface ExpectedTransfer {
  asset: `0x${string}`;
  from: string;
  to: string;
  value: string;
}

/**
 * Any settlement transaction (EIP-3009 `transferWithAuthorization`, a Permit2 proxy call, an
 * upto settle): the call to send and what its receipt must show to count as paid.
 *
 * @example
 * ```ts
 * const call: SettlementCall = {
 *   to: exactPermit2Proxy,
 *   data: encodeFunctionData({ abi, functionName: "settle", args }),
 *   payer,
 *   transfers: [{ asset: usdc, from: payer, to: payTo, value: "10000" }],
 * };
 * ```
 */
export interface SettlementCall {
  to: `0x${string}`;
  data: `0x${string}`;
  /** Send from this facilitator account (e.g. an upto witness's `facilitator`). Default: any. */
  from?: `0x${string}`;
  /** The paying address, for the answer's `payer`. */
  payer: string;
  /** Transfer events that must all appear in the receipt (empty: a successful status suffices). */
  transfers: readonly ExpectedTransfer[];
}

/** A sent transaction as far as it is known: always the hash; nonce and bytes when signed locally. */
export type RecordedTransaction = { hash: `0x${string}` } & Partial<SignedEvmTransaction>;

/** What {@link sendSettlement} needs besides the call. */
export interface SendSettlementOptions extends SettleTransferOptions {
  /**
   * Record the signed transaction durably before it is broadcast (e.g. in a
   * {@link SettlementLedger}); if this throws, nothing is sent and the settle fails. Signers
   * that cannot sign apart from sending call it right after the broadcast instead.
   */
  record?: (sent: RecordedTransaction) => Promise<void>;
}

/** Outcome of {@link sendSettlement}: the transaction to follow, or why nothing was sent. */
export type SendTransferResult =
  | { hash: `0x${string}`; signed?: SignedEvmTransaction }
  | { response: SettleResponse };

/**
 * Sign, record and broadcast a settlement call, without waiting for its receipt — the path
 * every EVM settlement takes (EIP-3009, Permit2, upto):
 *
 * 1. the signer estimates gas and checks the gas price against its cap (above it: a failed
 *    answer with reason `settle_evm_gas_price_above_cap`, nothing signed);
 * 2. the signer takes the next nonce of one of its accounts and signs;
 * 3. `options.record` stores the signed transaction (hash, nonce, bytes) — so a crash from here
 *    on leaves a record a retry or the reconciler can follow, never a second transaction;
 * 4. the signer broadcasts. A send that failed in transit still yields the hash (the money
 *    may be moving); a send the node refused yields a failed {@link SettleResponse}
 *    (`reasonFromRevert` of its message); the caller should then forget its record, since
 *    that transaction can never be mined (its nonce is handed out again).
 *
 * @example
 * ```ts
 * const sent = await sendSettlement(call, { signer, network, receiptTimeoutMs, record: (tx) => ledger.write(key, { digest, ...tx }) });
 * if ("hash" in sent) return awaitSettlementCall(call, sent.hash, options);
 * ```
 */
export async function sendSettlement(
  call: SettlementCall,
  options: SendSettlementOptions,
): Promise<SendTransferResult> {
  let signed: SignedEvmTransaction | undefined;
  const record = options.record;
  try {
    const hash = await options.signer.sendTransaction(
      { to: call.to, data: call.data, ...(call.from ? { from: call.from } : {}) },
      {
        onSigned: async (transaction) => {
          await record?.(transaction);
          signed = transaction;
        },
      },
    );
    // A signer without the hook: record after the fact (a crash in between is not covered).
    if (!signed && record) await record({ hash });
    return signed ? { hash, signed } : { hash };
  } catch (error) {
    // Possibly on its way: follow the transaction rather than call the payment failed.
    if (error instanceof BroadcastUncertainError)
      return signed ? { hash: error.hash, signed } : { hash: error.hash };
    const message = describeError(error);
    const reason = error instanceof GasPriceAboveCapError ? error.reason : reasonFromRevert(message);
    return { response: failedSettlement(options.network, reason, message, call.payer) };
  }
}

/**
 * Broadcast `transferWithAuthorization` for a verified payment, without waiting: the EIP-3009
 * case of {@link sendSettlement}.
 *
 * @example
 * ```ts
 * const sent = await sendTransfer(payment, options);
 * if ("hash" in sent) await ledger.savePending(key, sent.hash);
 * ```
 */
export async function sendTransfer(
  payment: CheckedPayment,
  options: SendSettlementOptions,
): Promise<SendTransferResult> {
  // A counterfactual (ERC-6492) payer: its wallet is deployed first (factory allowed at verify).
  const undeployed = payment.deployment && (await deployCounterfactualWallet(payment, options));
  if (undeployed) return { response: undeployed };
  return sendSettlement(transferCall(payment), options);
}

/**
 * The settlement call of a verified EIP-3009 payment.
 *
 * @example
 * ```ts
 * const call = transferCall(payment); // { to: asset, data: transferWithAuthorization(…), transfers: [...] }
 * ```
 */
export function transferCall(payment: CheckedPayment): SettlementCall {
  return {
    to: payment.asset,
    data: encodeTransferWithAuthorization(payment),
    payer: payment.authorization.from,
    transfers: expectedTransfers(payment),
  };
}

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
