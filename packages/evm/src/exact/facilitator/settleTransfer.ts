import { describeError, failedSettlement, isX402Error, type SettleResponse } from "@x402kit/core";
import { SETTLEMENT_GUARD_LOST } from "@x402kit/core/facilitator";
import type { CheckedPayment } from "./checkPayment.js";
import { deployCounterfactualWallet } from "./deployCounterfactualWallet.js";
import { SignerBusyError } from "./nonceManager.js";
import { reasonFromRevert } from "./revertReasons.js";
import { awaitSettlement, expectedTransfers } from "./settlementReceipt.js";
import {
  BroadcastUncertainError,
  type FacilitatorEvmSigner,
  GasPriceAboveCapError,
  type SignedEvmTransaction,
} from "./signer.js";
import { encodeTransferWithAuthorization } from "./transferCalldata.js";

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

/**
 * A sent transaction as far as it is known: always the hash; nonce and bytes when signed locally.
 *
 * @example
 * ```ts
 * const sent: RecordedTransaction = { hash, from, nonce: 7, serialized };
 * ```
 */
export type RecordedTransaction = { hash: `0x${string}` } & Partial<SignedEvmTransaction>;

/**
 * What {@link sendSettlement} needs besides the call.
 *
 * @example
 * ```ts
 * const options: SendSettlementOptions = { signer, network, receiptTimeoutMs: 20_000, record: (tx) => ledger.write(key, { digest, ...tx }) };
 * ```
 */
export interface SendSettlementOptions extends SettleTransferOptions {
  /**
   * Record the signed transaction durably before it is broadcast (e.g. in a
   * {@link SettlementLedger}); if this throws, nothing is sent and the settle fails. Signers
   * that cannot sign apart from sending call it right after the broadcast instead.
   */
  record?: (sent: RecordedTransaction) => Promise<void>;
}

/**
 * Outcome of {@link sendSettlement}: the transaction to follow, or why nothing was sent.
 *
 * @example
 * ```ts
 * const sent: SendTransferResult = await sendSettlement(call, options);
 * if ("response" in sent) return sent.response;
 * ```
 */
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
    // Refusals before signing carry their own reason (gas above the cap, the account too busy).
    const reason =
      error instanceof GasPriceAboveCapError || error instanceof SignerBusyError
        ? error.reason
        : isX402Error(error, SETTLEMENT_GUARD_LOST)
          ? error.code
          : reasonFromRevert(message);
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

export {
  awaitSettlement,
  awaitSettlementCall,
  expectedTransfers,
  judgeSettlementReceipt,
} from "./settlementReceipt.js";
