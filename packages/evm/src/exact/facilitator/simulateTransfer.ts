import { type CheckResult, fail } from "@x402kit/core";
import { decodeFunctionResult, encodeFunctionData } from "viem";
import { eip3009Abi, MULTICALL3_ADDRESS, multicall3Abi } from "../../abi.js";
import { ExactEvmReason as R } from "../../reasons.js";
import { callBatcherFor } from "./callBatcher.js";
import type { CheckedPayment } from "./checkPayment.js";
import { decodeRevertText, reasonFromRevert } from "./revertReasons.js";
import type { EvmCallResult, FacilitatorEvmSigner } from "./signer.js";
import { encodeTransferWithAuthorization } from "./transferCalldata.js";

/**
 * Dry-run `transferWithAuthorization` with `eth_call` (batched with concurrent verifications,
 * see {@link callBatcherFor}); for a counterfactual wallet, its factory call and then the
 * transfer in one Multicall3 call, deploying nothing. On a revert, diagnose as the official
 * facilitator does (EIP-3009 support, nonce, token name and version, balance), else by the
 * decoded revert data (custom errors included), else as a simulation failure.
 *
 * @example
 * ```ts
 * const simulated = await simulateTransfer(signer, payment);
 * ```
 */
export async function simulateTransfer(
  signer: FacilitatorEvmSigner,
  payment: CheckedPayment,
): Promise<CheckResult> {
  const { authorization: a } = payment;
  const data = encodeTransferWithAuthorization(payment);
  const result = payment.deployment
    ? await simulateWithDeployment(signer, payment, data)
    : await callBatcherFor(signer).call({ to: payment.asset, data, payer: a.from, payee: a.to });
  if (result.ok) return { ok: true, value: undefined };
  return diagnoseFailedTransfer(signer, payment, result.revert);
}

/** Deploy (in the simulation only) then transfer: both in one `aggregate3`. */
async function simulateWithDeployment(
  signer: FacilitatorEvmSigner,
  payment: CheckedPayment,
  transfer: `0x${string}`,
): Promise<EvmCallResult> {
  const { factory, factoryCalldata } = payment.deployment as NonNullable<CheckedPayment["deployment"]>;
  const calls = [
    { target: factory, allowFailure: true, callData: factoryCalldata },
    { target: payment.asset, allowFailure: true, callData: transfer },
  ];
  const result = await signer.call({
    to: MULTICALL3_ADDRESS,
    data: encodeFunctionData({ abi: multicall3Abi, functionName: "aggregate3", args: [calls] }),
  });
  if (!result.ok) return { ok: false, revert: `Multicall3 unavailable: ${result.revert}` };
  const [deployed, transferred] = decodeFunctionResult({
    abi: multicall3Abi,
    functionName: "aggregate3",
    data: result.data,
  });
  if (!deployed?.success)
    return { ok: false, revert: `wallet deployment reverted — data: ${deployed?.returnData ?? "0x"}` };
  return transferred?.success
    ? { ok: true, data: transferred.returnData }
    : { ok: false, revert: `execution reverted — data: ${transferred?.returnData ?? "0x"}` };
}

/**
 * Why a `transferWithAuthorization` would revert, in the official order: `authorizationState`
 * unsupported, nonce used, `name()`/`version()` ≠ the requirements' domain, balance too low;
 * else the decoded revert (e.g. a signature error); else `…_transaction_simulation_failed`.
 *
 * @example
 * ```ts
 * const failure = await diagnoseFailedTransfer(signer, payment, "execution reverted — data: 0x…");
 * ```
 */
export async function diagnoseFailedTransfer(
  signer: FacilitatorEvmSigner,
  payment: CheckedPayment,
  revert: string,
): Promise<CheckResult> {
  const { asset, authorization: a, domain } = payment;
  const [state, name, version, balance] = await Promise.all([
    read(signer, asset, "authorizationState", [a.from, a.nonce]),
    read(signer, asset, "name", []),
    read(signer, asset, "version", []),
    read(signer, asset, "balanceOf", [a.from]),
  ]);
  const text = decodeRevertText(revert);
  if (revert.startsWith("wallet deployment reverted"))
    return fail(R.SmartWalletDeploymentFailed, `the wallet factory reverted: ${text}`);
  if (typeof state !== "boolean")
    return fail(R.Eip3009NotSupported, `asset ${asset} does not implement authorizationState (EIP-3009)`);
  if (state) return fail(R.NonceAlreadyUsed, `nonce ${a.nonce} of ${a.from} was already used or cancelled`);
  if (typeof name === "string" && name !== domain.name)
    return fail(R.TokenNameMismatch, `token name() is "${name}", extra.name is "${domain.name}"`);
  if (typeof version === "string" && version !== domain.version)
    return fail(
      R.TokenVersionMismatch,
      `token version() is "${version}", extra.version is "${domain.version}"`,
    );
  if (typeof balance === "bigint" && balance < payment.value)
    return fail(R.InsufficientBalance, `balance ${balance} of ${a.from} is below ${payment.value}: ${text}`);
  const reason = reasonFromRevert(text);
  // A counterfactual wallet's signature is only checked by this simulation, which the official
  // facilitator reports as a simulation failure: same reason, the decoded revert in the message.
  const generic = reason === R.TransactionFailed || (payment.deployment && reason === R.Signature);
  return fail(generic ? R.SimulationFailed : reason, text);
}

type ReadName = "authorizationState" | "name" | "version" | "balanceOf";

/** A view call's decoded result; `undefined` when it reverts or cannot be decoded (diagnosis is best effort). */
async function read(
  signer: FacilitatorEvmSigner,
  asset: `0x${string}`,
  functionName: ReadName,
  args: readonly unknown[],
): Promise<unknown> {
  try {
    const data = encodeFunctionData({ abi: eip3009Abi, functionName, args } as never);
    const result = await signer.call({ to: asset, data });
    return result.ok ? decodeFunctionResult({ abi: eip3009Abi, functionName, data: result.data }) : undefined;
  } catch {
    return undefined;
  }
}
