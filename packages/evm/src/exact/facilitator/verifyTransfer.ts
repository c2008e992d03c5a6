import type { CheckFailure, VerifyResponse } from "@x402kit/core";
import { describeError, fail } from "@x402kit/core";
import { ExactEvmReason as R } from "../../reasons.js";
import { isRecord } from "../payload.js";
import { checkChainState, type DeployedAssetCache } from "./checkChainState.js";
import { type CheckedPayment, checkPaymentAgainstRequirements } from "./checkPayment.js";
import { checkAuthorizationSignature, isSignedByPayerKey } from "./checkSignature.js";
import type { FacilitatorEvmSigner } from "./signer.js";
import { simulateTransfer } from "./simulateTransfer.js";

/** Dependencies and switches of {@link verifyTransferWithAuthorization}. */
export interface VerifyTransferOptions {
  signer: FacilitatorEvmSigner;
  assets: DeployedAssetCache;
  /** Dry-run the transfer (`eth_call`) as the last step. */
  simulate: boolean;
  /** The facilitator's asset allow-list (see `assetAllowList`); default: every asset. */
  isAssetAllowed?: (asset: string) => boolean;
  /** ERC-6492 factories whose counterfactual wallets may pay. Default: none. */
  allowedFactories?: readonly string[];
}

/** A verification outcome, with the checked payment when it is valid. */
export type VerifyTransferResult = { response: VerifyResponse; payment?: CheckedPayment };

/**
 * Verify an EIP-3009 payment, cheapest checks first: the checks without chain access, then
 * local ECDSA recovery (native secp256k1). A payment signed by the payer's key and simulated
 * costs one `eth_call` (the simulation, batched with concurrent ones; the asset's code is
 * cached): the token's own checks (nonce, balance, its signature rule for accounts with code)
 * run in it. Any other signature gets the strict check (code at `from` → ERC-1271, ERC-6492
 * counterfactual wallets). Without simulation, the nonce and balance are read instead. Bad
 * input and RPC failures become `isValid: false` answers; this function does not throw.
 *
 * @example
 * ```ts
 * const { response } = await verifyTransferWithAuthorization(payload, requirements, { signer, assets, simulate: true });
 * ```
 */
export async function verifyTransferWithAuthorization(
  paymentPayload: unknown,
  requirements: unknown,
  options: VerifyTransferOptions,
): Promise<VerifyTransferResult> {
  const { signer, assets, simulate } = options;
  const payer = payerOf(paymentPayload);
  const invalid = (failure: CheckFailure): VerifyTransferResult => ({
    response: { isValid: false, invalidReason: failure.reason, invalidMessage: failure.message, payer },
  });
  const checked = checkPaymentAgainstRequirements(
    paymentPayload,
    requirements,
    signer.chainId,
    nowSeconds(),
    options.isAssetAllowed,
  );
  if (!checked.ok) return invalid(checked);
  try {
    const signedByPayerKey = await isSignedByPayerKey(checked.value);
    let payment = checked.value;
    // The fast path: the simulation runs the token's own signature check (ERC-1271 for an account with code).
    if (!(signedByPayerKey && simulate)) {
      const signature = await checkAuthorizationSignature(signer, payment, {
        allowedFactories: options.allowedFactories ?? [],
        ...(signedByPayerKey ? { signedByPayerKey } : {}),
      });
      if (!signature.ok) return invalid(signature);
      payment = signature.value;
    }
    // A counterfactual wallet is always simulated: settling deploys it, a bad signature would waste that.
    if (simulate || payment.deployment) {
      const [deployed, simulated] = await Promise.all([
        assets.hasCode(signer, payment.asset),
        simulateTransfer(signer, payment),
      ]);
      if (!deployed)
        return invalid(fail(R.AssetNotDeployed, `no contract is deployed at asset ${payment.asset}`));
      if (!simulated.ok) return invalid(simulated);
    } else {
      const state = await checkChainState(signer, payment, assets);
      if (!state.ok) return invalid(state);
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
