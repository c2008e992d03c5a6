import type { CheckFailure, CheckResult, FacilitatorContext, VerifyResponse } from "@x402kit/core";
import { describeError } from "@x402kit/core";
import {
  checkEip2612PermitForPayment,
  checkErc20ApprovalForPayment,
} from "../../../gasSponsoring/checkExtensionInfo.js";
import { extractEip2612GasSponsoringInfo } from "../../../gasSponsoring/eip2612.js";
import {
  ERC20_APPROVAL_GAS_SPONSORING,
  erc20ApprovalSignerFor,
  extractErc20ApprovalGasSponsoringInfo,
} from "../../../gasSponsoring/erc20Approval.js";
import { checkSponsoredApproval, permit2AllowanceOf } from "../../../gasSponsoring/sponsoredApproval.js";
import {
  checkPermit2Signature,
  diagnosePermit2Failure,
  exactPermit2ProxyConfig,
} from "../../../permit2/checks.js";
import { x402ExactPermit2ProxyAddress } from "../../../permit2/constants.js";
import { Permit2Reason as R } from "../../../permit2/reasons.js";
import { encodeExactPermit2Settle } from "../../../permit2/settleCalldata.js";
import { ExactEvmReason } from "../../../reasons.js";
import { isRecord } from "../../payload.js";
import { callBatcherFor } from "../callBatcher.js";
import type { DeployedAssetCache } from "../checkChainState.js";
import type { FacilitatorEvmSigner } from "../signer.js";
import { type CheckedPermit2Payment, checkPermit2Payment } from "./checkPermit2Payment.js";

/** Dependencies and switches of {@link verifyExactPermit2}. */
export interface VerifyPermit2Options {
  signer: FacilitatorEvmSigner;
  assets: DeployedAssetCache;
  /** Dry-run the settlement (with its gas-sponsoring extension) as the last step. */
  simulate: boolean;
  context?: FacilitatorContext;
  /** The facilitator's asset allow-list (see `ExactEvmSchemeConfig.allowedAssets`). */
  isAssetAllowed?: (asset: string) => boolean;
}

/** A verification outcome, with the checked payment when it is valid. */
export type VerifyPermit2Result = { response: VerifyResponse; payment?: CheckedPermit2Payment };

/**
 * Verify an `exact` Permit2 payment in the official order: local checks
 * ({@link checkPermit2Payment}), then the asset's code and the signature (read in parallel;
 * the asset is reported first), then — with `simulate` — the settlement as it will be sent:
 * `settleWithPermit` with an `eip2612GasSponsoring` permit (its info checked first), or, when
 * `erc20ApprovalGasSponsoring` is registered and sent, the approval's checks plus the
 * prerequisites (proxy deployed, balance), or plain `settle`; a failed dry run is diagnosed
 * (`permit2_proxy_not_deployed`, `permit2_insufficient_balance`, `permit2_allowance_required`,
 * `permit2_simulation_failed`). Never throws.
 *
 * @example
 * ```ts
 * const { response } = await verifyExactPermit2(payload, requirements, { signer, assets, simulate: true, context });
 * ```
 */
export async function verifyExactPermit2(
  paymentPayload: unknown,
  requirements: unknown,
  { signer, assets, simulate, context, isAssetAllowed }: VerifyPermit2Options,
): Promise<VerifyPermit2Result> {
  const payer = permit2PayerOf(paymentPayload);
  const invalid = (failure: CheckFailure): VerifyPermit2Result => ({
    response: { isValid: false, invalidReason: failure.reason, invalidMessage: failure.message, payer },
  });
  const nowSeconds = Math.floor(Date.now() / 1000);
  const checked = checkPermit2Payment(
    paymentPayload,
    requirements,
    signer.chainId,
    nowSeconds,
    isAssetAllowed,
  );
  if (!checked.ok) return invalid(checked);
  const payment = checked.value;
  const { payload } = payment;
  try {
    const [deployed, signature] = await Promise.all([
      assets.hasCode(signer, payment.requirements.asset),
      checkPermit2Signature(
        signer,
        payload.permit2Authorization as never,
        payload.signature,
        exactPermit2ProxyConfig,
        { simulationFollows: simulate },
      ),
    ]);
    if (!deployed)
      return invalid({
        ok: false,
        reason: R.AssetNotDeployed,
        message: `no contract at ${payment.requirements.asset}`,
      });
    if (!signature.ok) return invalid(signature);
    if (simulate) {
      const simulated = await simulatePermit2Settlement(signer, paymentPayload, payment, nowSeconds, context);
      if (!simulated.ok) return invalid(simulated);
    }
    return { response: { isValid: true, payer: payment.payer }, payment };
  } catch (error) {
    return invalid({
      ok: false,
      reason: ExactEvmReason.UnexpectedVerifyError,
      message: describeError(error),
    });
  }
}

/** Step 11: dry-run the settlement the way settle will send it. */
async function simulatePermit2Settlement(
  signer: FacilitatorEvmSigner,
  paymentPayload: unknown,
  payment: CheckedPermit2Payment,
  nowSeconds: number,
  context?: FacilitatorContext,
): Promise<CheckResult> {
  const sponsored = {
    payer: payment.payer,
    token: payment.requirements.asset,
    amount: payment.amount,
    chainId: signer.chainId,
    nowSeconds,
  };
  const diagnosis = {
    config: exactPermit2ProxyConfig,
    token: sponsored.token,
    owner: payment.payer,
    amount: payment.amount,
  };
  const permit = extractEip2612GasSponsoringInfo(paymentPayload);
  let data = encodeExactPermit2Settle(payment.payload);
  if (permit) {
    const valid = checkEip2612PermitForPayment(permit, sponsored);
    if (!valid.ok) return valid;
    data = encodeExactPermit2Settle(payment.payload, permit);
  } else {
    const extension = context?.getExtension(ERC20_APPROVAL_GAS_SPONSORING.key);
    const approval = extension ? extractErc20ApprovalGasSponsoringInfo(paymentPayload) : null;
    // No sponsor for this network, or an allowance already in place (settle then sponsors
    // nothing): the plain dry run judges.
    const sponsor = approval ? erc20ApprovalSignerFor(extension, payment.requirements.network) : undefined;
    if (
      approval &&
      sponsor &&
      (await permit2AllowanceOf(signer, diagnosis.token, diagnosis.owner)) < diagnosis.amount
    ) {
      const valid = await checkErc20ApprovalForPayment(approval, sponsored);
      if (!valid.ok) return valid;
      const serialized = approval.signedTransaction;
      if (sponsor.simulateTransactions) {
        const ok = await sponsor
          .simulateTransactions([serialized, { to: x402ExactPermit2ProxyAddress, data, gas: 300_000n }])
          .catch(() => false);
        if (!ok) return diagnosePermit2Failure(signer, diagnosis);
      }
      // The payer's balance and the sponsor's own limits (fee, gas, funding, cooldown, budget).
      return checkSponsoredApproval({ signer, sponsor, serialized, diagnosis });
    }
  }
  // Batched with concurrent verifications (one Multicall3 call per turn; the exact proxy lets anyone settle).
  const result = await callBatcherFor(signer).call({
    to: x402ExactPermit2ProxyAddress,
    data,
    payer: payment.payer,
    payee: payment.requirements.payTo,
  });
  return result.ok
    ? { ok: true, value: undefined }
    : diagnosePermit2Failure(signer, diagnosis, result.revert);
}

/** `permit2Authorization.from` when present, for the `payer` field of failures. */
export function permit2PayerOf(paymentPayload: unknown): string | undefined {
  const inner = isRecord(paymentPayload) ? paymentPayload.payload : undefined;
  const auth = isRecord(inner) ? inner.permit2Authorization : undefined;
  const from = isRecord(auth) ? auth.from : undefined;
  return typeof from === "string" ? from : undefined;
}
