import { type CheckResult, fail } from "@x402kit/core";
import { decodeFunctionResult, encodeFunctionData } from "viem";
import { eip3009Abi } from "../../abi.js";
import { ExactEvmReason as R } from "../../reasons.js";
import type { CheckedPayment } from "./checkPayment.js";
import { reasonFromRevert } from "./revertReasons.js";
import type { FacilitatorEvmSigner } from "./signer.js";
import { encodeTransferWithAuthorization } from "./transferCalldata.js";

/**
 * Dry-run `transferWithAuthorization` with `eth_call` from the facilitator. On a revert,
 * explain it when the token's on-chain EIP-712 `name()`/`version()` differ from the
 * requirements' `extra` (the signature is then over the wrong domain), else by the revert
 * text (nonce used, expired, balance…), else as a simulation failure.
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
  const result = await signer.call({ to: payment.asset, data: encodeTransferWithAuthorization(payment) });
  if (result.ok) return { ok: true, value: undefined };
  const [name, version] = await Promise.all([
    readString(signer, payment.asset, "name"),
    readString(signer, payment.asset, "version"),
  ]);
  if (name !== undefined && name !== payment.domain.name)
    return fail(R.TokenNameMismatch, `token name() is "${name}", extra.name is "${payment.domain.name}"`);
  if (version !== undefined && version !== payment.domain.version)
    return fail(
      R.TokenVersionMismatch,
      `token version() is "${version}", extra.version is "${payment.domain.version}"`,
    );
  // A known revert text names the cause (e.g. the nonce was used by a transaction mined meanwhile).
  const reason = reasonFromRevert(result.revert);
  return fail(reason === R.TransactionFailed ? R.SimulationFailed : reason, result.revert);
}

async function readString(
  signer: FacilitatorEvmSigner,
  asset: `0x${string}`,
  functionName: "name" | "version",
): Promise<string | undefined> {
  try {
    const result = await signer.call({
      to: asset,
      data: encodeFunctionData({ abi: eip3009Abi, functionName }),
    });
    return result.ok ? decodeFunctionResult({ abi: eip3009Abi, functionName, data: result.data }) : undefined;
  } catch {
    return undefined; // diagnosis is best effort; the simulation failure is still reported
  }
}
