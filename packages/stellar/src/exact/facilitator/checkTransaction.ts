import {
  Address,
  FeeBumpTransaction,
  scValToNative,
  type Transaction,
  TransactionBuilder,
  xdr,
} from "@stellar/stellar-sdk";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { getStellarNetwork } from "../../networks.js";
import { ExactStellarReason as R } from "../../reasons.js";
import { isExactStellarPayload } from "../payload.js";

/** A payment whose transaction passed the offline checks: what verify and settle go on with. */
export interface CheckedTransaction {
  transaction: Transaction;
  networkPassphrase: string;
  invokeOp: xdr.InvokeHostFunctionOp;
  /** The `transfer` invocation, as the payer's auth entry must name it. */
  invocation: xdr.SorobanAuthorizedInvocation;
  from: string;
  to: string;
  amount: bigint;
  fee: bigint;
  sorobanData: xdr.SorobanTransactionData;
}

/** A check that failed: the official reason, a message, and the payer when known. */
export interface Refusal {
  reason: string;
  message: string;
  payer?: string;
}

/**
 * The offline checks of a Stellar `exact` payment, in the official order (steps 1–13 of our
 * protocol notes): version, scheme, network, a parseable v1 transaction (no fee bump) with one
 * `invokeHostFunction` calling `transfer(from, to, amount)` on `requirements.asset`, the
 * facilitator not the source nor the payer, recipient and amount as required; then the fee
 * bound and the presence of Soroban resources, which settle needs.
 */
export function checkTransaction(
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  facilitatorAddresses: ReadonlySet<string>,
  maxFeeStroops: number,
): CheckedTransaction | Refusal {
  if (payload?.x402Version !== 2) return refuse(R.InvalidX402Version, "only x402 v2 is supported");
  if (payload.accepted?.scheme !== "exact" || requirements?.scheme !== "exact")
    return refuse(R.UnsupportedScheme, "scheme must be exact");
  if (requirements.network !== payload.accepted.network)
    return refuse(R.NetworkMismatch, "the payload is for another network");
  const network = getStellarNetwork(requirements.network);
  if (!network) return refuse(R.InvalidNetwork, `unknown Stellar network ${requirements.network}`);
  const inner = payload.payload;
  if (!isExactStellarPayload(inner))
    return refuse(R.Malformed, "payload.transaction must be a base64 string");
  let transaction: Transaction;
  try {
    const parsed = TransactionBuilder.fromXDR(inner.transaction, network.networkPassphrase);
    if (parsed instanceof FeeBumpTransaction)
      return refuse(R.Malformed, "fee-bump envelopes are not accepted");
    if (parsed.toEnvelope().switch() !== xdr.EnvelopeType.envelopeTypeTx())
      return refuse(R.Malformed, "only v1 transaction envelopes are accepted");
    transaction = parsed;
  } catch {
    return refuse(R.Malformed, "payload.transaction is not a transaction envelope of this network");
  }
  if (transaction.operations.length !== 1)
    return refuse(R.WrongOperation, "exactly one operation is required");
  const operation = transaction.operations[0]!;
  if (operation.type !== "invokeHostFunction")
    return refuse(R.WrongOperation, "the operation must be invokeHostFunction");
  if (facilitatorAddresses.has(transaction.source) || facilitatorAddresses.has(operation.source ?? ""))
    return refuse(R.UnsafeSource, "the facilitator must not be the transaction or operation source");
  const invokeOp = transaction.toEnvelope().v1().tx().operations()[0]!.body().invokeHostFunctionOp();
  const fn = invokeOp.hostFunction();
  if (fn.switch() !== xdr.HostFunctionType.hostFunctionTypeInvokeContract())
    return refuse(R.WrongOperation, "the host function must invoke a contract");
  const call = fn.invokeContract();
  if (Address.fromScAddress(call.contractAddress()).toString() !== requirements.asset)
    return refuse(R.WrongAsset, "the invoked contract is not the required asset");
  const args = call.args();
  if (call.functionName().toString() !== "transfer" || args.length !== 3)
    return refuse(R.WrongFunctionName, "the call must be transfer(from, to, amount)");
  const [fromArg, toArg, amountArg] = args as [xdr.ScVal, xdr.ScVal, xdr.ScVal];
  if (
    fromArg.switch().name !== "scvAddress" ||
    toArg.switch().name !== "scvAddress" ||
    amountArg.switch().name !== "scvI128"
  )
    return refuse(R.WrongFunctionName, "transfer takes (address, address, i128)");
  const from = Address.fromScAddress(fromArg.address()).toString();
  const to = Address.fromScAddress(toArg.address()).toString();
  const amount = scValToNative(amountArg) as bigint;
  if (facilitatorAddresses.has(from))
    return refuse(R.FacilitatorIsPayer, "the facilitator must not be the payer");
  if (to !== requirements.payTo)
    return refuse(R.WrongRecipient, `transfer to ${to}, required ${requirements.payTo}`, from);
  if (!/^\d+$/.test(String(requirements.amount)) || amount !== BigInt(requirements.amount))
    return refuse(R.WrongAmount, `transfer of ${amount}, required ${requirements.amount}`, from);
  const fee = BigInt(transaction.fee);
  if (fee > BigInt(maxFeeStroops))
    return refuse(
      R.FeeExceedsMaximum,
      `fee ${fee} stroops is above the facilitator's bound ${maxFeeStroops}`,
      from,
    );
  const ext = transaction.toEnvelope().v1().tx().ext();
  if (ext.switch() !== 1) return refuse(R.Malformed, "the transaction carries no Soroban resources", from);
  const sorobanData = ext.sorobanData();
  const resourceFee = BigInt(sorobanData.resourceFee().toString());
  if (resourceFee < 0n) return refuse(R.Malformed, "the declared resource fee is negative", from);
  if (resourceFee + 100n > fee)
    return refuse(R.FeeBelowMinimum, "the fee does not cover the declared resource fee", from);
  const invocation = new xdr.SorobanAuthorizedInvocation({
    function: xdr.SorobanAuthorizedFunction.sorobanAuthorizedFunctionTypeContractFn(call),
    subInvocations: [],
  });
  return {
    transaction,
    networkPassphrase: network.networkPassphrase,
    invokeOp,
    invocation,
    from,
    to,
    amount,
    fee,
    sorobanData,
  };
}

/**
 * The requirements' `maxTimeoutSeconds` when it is a positive number, else 60: a malformed value
 * must not turn the authorization expiry bound or the settlement's time bound off.
 *
 * @example
 * ```ts
 * timeoutSecondsOf({ maxTimeoutSeconds: "abc" } as never); // 60
 * ```
 */
export function timeoutSecondsOf(requirements: PaymentRequirements): number {
  const value = requirements?.maxTimeoutSeconds as unknown;
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.ceil(value) : 60;
}

/** True when a check result is a {@link Refusal}. */
export function isRefusal(value: object): value is Refusal {
  return "reason" in value;
}

function refuse(reason: string, message: string, payer?: string): Refusal {
  return { reason, message, ...(payer ? { payer } : {}) };
}
