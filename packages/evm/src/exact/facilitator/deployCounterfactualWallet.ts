import { describeError, failedSettlement, type SettleResponse } from "@x402kit/core";
import { ExactEvmReason as R } from "../../reasons.js";
import type { CheckedPayment } from "./checkPayment.js";
import type { FacilitatorEvmSigner } from "./signer.js";

/**
 * Deploy a counterfactual (ERC-6492) payer's wallet through its factory before its transfer is
 * settled: send `factoryCalldata` to the factory (allowed at verification), wait for the receipt,
 * and check that `from` has code. Resolves `undefined` when the wallet is deployed (also when it
 * already was), else a failed answer `smart_wallet_deployment_failed`.
 *
 * @example
 * ```ts
 * const failed = payment.deployment && (await deployCounterfactualWallet(payment, { signer, network, receiptTimeoutMs }));
 * if (failed) return failed;
 * ```
 */
export async function deployCounterfactualWallet(
  payment: CheckedPayment,
  options: { signer: FacilitatorEvmSigner; network: string; receiptTimeoutMs: number },
): Promise<SettleResponse | undefined> {
  const { signer, network, receiptTimeoutMs } = options;
  const from = payment.authorization.from;
  const failure = (message: string) =>
    failedSettlement(network, R.SmartWalletDeploymentFailed, message, from);
  if (!payment.deployment || (await hasCode(signer, from))) return undefined;
  const { factory, factoryCalldata } = payment.deployment;
  try {
    const hash = await signer.sendTransaction({ to: factory, data: factoryCalldata });
    const receipt = await signer.waitForTransactionReceipt(hash, receiptTimeoutMs);
    if (receipt.status !== "success") return failure(`the wallet deployment ${hash} reverted`);
  } catch (error) {
    return failure(`the wallet deployment failed: ${describeError(error)}`);
  }
  return (await hasCode(signer, from)) ? undefined : failure(`factory ${factory} did not deploy ${from}`);
}

async function hasCode(signer: FacilitatorEvmSigner, address: `0x${string}`): Promise<boolean> {
  const code = await signer.getCode(address);
  return !!code && code !== "0x";
}
