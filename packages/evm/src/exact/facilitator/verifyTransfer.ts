import type { CheckFailure, VerifyResponse } from "@x402kit/core";
import { describeError } from "@x402kit/core";
import { ExactEvmReason as R } from "../../reasons.js";
import { isRecord } from "../payload.js";
import { checkChainState, type DeployedAssetCache } from "./checkChainState.js";
import { type CheckedPayment, checkPaymentAgainstRequirements } from "./checkPayment.js";
import { checkAuthorizationSignature } from "./checkSignature.js";
import type { FacilitatorEvmSigner } from "./signer.js";
import { simulateTransfer } from "./simulateTransfer.js";

/** Dependencies and switches of {@link verifyTransferWithAuthorization}. */
export interface VerifyTransferOptions {
  signer: FacilitatorEvmSigner;
  assets: DeployedAssetCache;
  /** Dry-run the transfer (`eth_call`) as the last step. */
  simulate: boolean;
}

/** A verification outcome, with the checked payment when it is valid. */
export type VerifyTransferResult = { response: VerifyResponse; payment?: CheckedPayment };

/**
 * Verify an EIP-3009 payment: local checks first, then signature and chain state (in
 * parallel, reported in that order), then an optional simulation. Bad input and RPC
 * failures become `isValid: false` answers; this function does not throw.
 *
 * @example
 * ```ts
 * const { response } = await verifyTransferWithAuthorization(payload, requirements, { signer, assets, simulate: true });
 * ```
 */
export async function verifyTransferWithAuthorization(
  paymentPayload: unknown,
  requirements: unknown,
  { signer, assets, simulate }: VerifyTransferOptions,
): Promise<VerifyTransferResult> {
  const payer = payerOf(paymentPayload);
  const invalid = (failure: CheckFailure): VerifyTransferResult => ({
    response: { isValid: false, invalidReason: failure.reason, invalidMessage: failure.message, payer },
  });
  const checked = checkPaymentAgainstRequirements(paymentPayload, requirements, signer.chainId, nowSeconds());
  if (!checked.ok) return invalid(checked);
  const payment = checked.value;
  try {
    const [signature, state] = await Promise.all([
      checkAuthorizationSignature(signer, payment),
      checkChainState(signer, payment, assets),
    ]);
    if (!signature.ok) return invalid(signature);
    if (!state.ok) return invalid(state);
    if (simulate) {
      const simulated = await simulateTransfer(signer, payment);
      if (!simulated.ok) return invalid(simulated);
    }
    return { response: { isValid: true, payer: payment.authorization.from }, payment };
  } catch (error) {
    return invalid({ ok: false, reason: R.UnexpectedVerifyError, message: describeError(error) });
  }
}

/** `authorization.from` when present, for the `payer` field of failures. */
export function payerOf(paymentPayload: unknown): string | undefined {
  const inner = isRecord(paymentPayload) ? paymentPayload.payload : undefined;
  const authorization = isRecord(inner) ? inner.authorization : undefined;
  const from = isRecord(authorization) ? authorization.from : undefined;
  return typeof from === "string" ? from : undefined;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
