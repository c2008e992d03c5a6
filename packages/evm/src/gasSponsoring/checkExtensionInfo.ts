import { type CheckResult, fail } from "@x402kit/core";
import {
  decodeFunctionData,
  parseTransaction,
  recoverTransactionAddress,
  type TransactionSerialized,
} from "viem";
import { erc20PermitAbi } from "../permit2/abi.js";
import { PERMIT2_ADDRESS, PERMIT2_DEADLINE_BUFFER_SECONDS } from "../permit2/constants.js";
import { Permit2Reason as R } from "../permit2/reasons.js";
import { type Eip2612GasSponsoringInfo, validateEip2612GasSponsoringInfo } from "./eip2612.js";
import {
  type Erc20ApprovalGasSponsoringInfo,
  validateErc20ApprovalGasSponsoringInfo,
} from "./erc20Approval.js";

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const MAX_UINT256 = 2n ** 256n - 1n;
const isUint256 = (digits: string) => digits.length <= 78 && BigInt(digits) <= MAX_UINT256;

/** The payment an extension's info must belong to. */
export interface SponsoredPayment {
  payer: `0x${string}`;
  token: `0x${string}`;
  /** The Permit2 permitted amount. */
  amount: bigint;
  chainId: number;
  nowSeconds: number;
}

/**
 * Check an `eip2612GasSponsoring` info against its payment, in the official order (format,
 * `from` = payer, `asset` = token, `spender` = Permit2, deadline ≥ now + 6 s), then — stricter
 * than the official facilitator, which leaves it to the proxy — that the permit's value is the
 * permitted amount (`permit2_2612_amount_mismatch`) and its signature is 65 bytes.
 *
 * @example
 * ```ts
 * const checked = checkEip2612PermitForPayment(info, { payer, token, amount, chainId, nowSeconds });
 * ```
 */
export function checkEip2612PermitForPayment(
  info: Eip2612GasSponsoringInfo,
  payment: SponsoredPayment,
): CheckResult {
  if (
    !validateEip2612GasSponsoringInfo(info) ||
    !/^0x[0-9a-fA-F]{130}$/.test(info.signature) ||
    ![info.amount, info.nonce, info.deadline].every(isUint256)
  )
    return fail(R.Eip2612InvalidFormat, "eip2612GasSponsoring.info is malformed");
  if (!same(info.from, payment.payer))
    return fail(R.Eip2612FromMismatch, `from ${info.from} is not the payer ${payment.payer}`);
  if (!same(info.asset, payment.token))
    return fail(R.Eip2612AssetMismatch, `asset ${info.asset} is not ${payment.token}`);
  if (!same(info.spender, PERMIT2_ADDRESS))
    return fail(R.Eip2612SpenderNotPermit2, `spender ${info.spender} is not Permit2`);
  if (BigInt(info.deadline) < BigInt(payment.nowSeconds + PERMIT2_DEADLINE_BUFFER_SECONDS))
    return fail(R.Eip2612DeadlineExpired, `permit deadline ${info.deadline} is past or too close`);
  if (BigInt(info.amount) !== payment.amount)
    return fail(
      R.Permit2612AmountMismatch,
      `permit value ${info.amount} ≠ permitted amount ${payment.amount}`,
    );
  return { ok: true, value: undefined };
}

/** Bounds on a sponsored approval transaction (it may cost the facilitator its gas). */
export interface ApprovalTxBounds {
  /** Highest gas limit accepted. Default 120 000 (an approve needs ~46 000–70 000). */
  maxGas?: bigint;
}

/**
 * The approval transaction of an `erc20ApprovalGasSponsoring` info, decoded and checked.
 *
 * @example
 * ```ts
 * const checked = await checkErc20ApprovalForPayment(info, payment);
 * if (checked.ok) console.log(checked.value.nonce, checked.value.gas);
 * ```
 */
export interface CheckedApprovalTx {
  serialized: `0x${string}`;
  nonce: number;
  gas: bigint;
  maxFeePerGas: bigint;
}

/**
 * Check an `erc20ApprovalGasSponsoring` info against its payment, in the official order
 * (format, `from`, `asset`, `spender` = Permit2, parse, target = token, `approve` selector,
 * decodable calldata, approved spender = Permit2, signer = payer), then — stricter — that the
 * transaction is for this chain, moves no ETH, and has a bounded gas limit and a fee.
 *
 * @example
 * ```ts
 * const checked = await checkErc20ApprovalForPayment(info, { payer, token, amount, chainId, nowSeconds });
 * ```
 */
export async function checkErc20ApprovalForPayment(
  info: Erc20ApprovalGasSponsoringInfo,
  payment: SponsoredPayment,
  bounds: ApprovalTxBounds = {},
): Promise<CheckResult<CheckedApprovalTx>> {
  if (!validateErc20ApprovalGasSponsoringInfo(info))
    return fail(R.Erc20ApprovalInvalidFormat, "erc20ApprovalGasSponsoring.info is malformed");
  if (!same(info.from, payment.payer))
    return fail(R.Erc20ApprovalFromMismatch, `from ${info.from} is not the payer ${payment.payer}`);
  if (!same(info.asset, payment.token))
    return fail(R.Erc20ApprovalAssetMismatch, `asset ${info.asset} is not ${payment.token}`);
  if (!same(info.spender, PERMIT2_ADDRESS))
    return fail(R.Erc20ApprovalSpenderNotPermit2, `spender ${info.spender} is not Permit2`);
  let tx: ReturnType<typeof parseTransaction>;
  try {
    tx = parseTransaction(info.signedTransaction as TransactionSerialized);
  } catch {
    return fail(R.Erc20ApprovalTxParseFailed, "the signed transaction does not parse");
  }
  // A plain transaction only: an EIP-7702 one would re-delegate the payer's account, a blob one costs blob gas.
  if (tx.type !== "eip1559" && tx.type !== "legacy")
    return fail(R.Erc20ApprovalTxParseFailed, `a ${tx.type} transaction is not accepted (type 0 or 2 only)`);
  if (!tx.to || !same(tx.to, payment.token))
    return fail(
      R.Erc20ApprovalTxWrongTarget,
      `the transaction calls ${tx.to ?? "nothing"}, not ${payment.token}`,
    );
  const data = tx.data ?? "0x";
  if (!data.toLowerCase().startsWith("0x095ea7b3"))
    return fail(R.Erc20ApprovalTxWrongSelector, "the transaction does not call approve(address,uint256)");
  let spender: string;
  let approved: bigint;
  try {
    const decoded = decodeFunctionData({ abi: erc20PermitAbi, data });
    if (decoded.functionName !== "approve") throw new Error("not approve");
    [spender, approved] = decoded.args;
  } catch {
    return fail(R.Erc20ApprovalTxInvalidCalldata, "the approve() calldata does not decode");
  }
  if (!same(spender, PERMIT2_ADDRESS))
    return fail(R.Erc20ApprovalTxWrongSpender, `approve() spender ${spender} is not Permit2`);
  // An approval too small for the payment would be sponsored for nothing.
  if (approved < payment.amount || BigInt(info.amount) !== approved)
    return fail(
      R.Erc20ApprovalTxInvalidCalldata,
      `approve() value ${approved} must cover the permitted ${payment.amount} and equal info.amount ${info.amount}`,
    );
  let signer: string;
  try {
    signer = await recoverTransactionAddress({
      serializedTransaction: info.signedTransaction as TransactionSerialized,
    });
  } catch {
    return fail(R.Erc20ApprovalTxInvalidSignature, "the transaction's signer cannot be recovered");
  }
  if (!same(signer, payment.payer))
    return fail(
      R.Erc20ApprovalTxSignerMismatch,
      `the transaction is signed by ${signer}, not the payer ${payment.payer}`,
    );
  const maxGas = bounds.maxGas ?? 120_000n;
  const fee = tx.maxFeePerGas ?? tx.gasPrice;
  if (
    tx.chainId !== payment.chainId ||
    (tx.value ?? 0n) !== 0n ||
    tx.gas === undefined ||
    tx.gas > maxGas ||
    !fee ||
    tx.nonce === undefined
  )
    return fail(
      R.Erc20ApprovalInvalidFormat,
      `the approval must be for chain ${payment.chainId}, move no ETH, set a nonce, a fee and at most ${maxGas} gas`,
    );
  return {
    ok: true,
    value: { serialized: info.signedTransaction, nonce: tx.nonce, gas: tx.gas, maxFeePerGas: fee },
  };
}
