import { type FacilitatorContext, failedSettlement, type SettleResponse } from "@x402kit/core";
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
import { broadcastSponsoredApproval, permit2AllowanceOf } from "../../../gasSponsoring/sponsoredApproval.js";
import { describePermit2Revert, exactPermit2ProxyConfig } from "../../../permit2/checks.js";
import { x402ExactPermit2ProxyAddress } from "../../../permit2/constants.js";
import { permit2ReasonFromRevert, Permit2Reason as R } from "../../../permit2/reasons.js";
import { encodeExactPermit2Settle } from "../../../permit2/settleCalldata.js";
import { ExactEvmReason } from "../../../reasons.js";
import type { SettlementCall } from "../settleTransfer.js";
import type { FacilitatorEvmSigner } from "../signer.js";
import type { CheckedPermit2Payment } from "./checkPermit2Payment.js";

/** What preparing a Permit2 settlement needs besides the payment. */
export interface PreparePermit2Options {
  signer: FacilitatorEvmSigner;
  network: string;
  context?: FacilitatorContext;
}

/**
 * The settlement call of a verified `exact` Permit2 payment, after what must precede it:
 * `settleWithPermit` when an `eip2612GasSponsoring` permit came along (its info checked again);
 * when an `erc20ApprovalGasSponsoring` approval came along, the extension is registered with a
 * sponsoring signer and Permit2's allowance is short, the payer's token balance and the
 * sponsor's limits are checked again, then the sponsor broadcasts the approval (funding the
 * payer's gas) and waits for it; then plain `settle`. A short allowance with nothing to fix it
 * answers `permit2_allowance_required` without sending. The call
 * itself is sent by the caller through `signer` (its nonces, the settlement ledger); its
 * receipt must show `Transfer(payer → payTo, amount)` from the token.
 *
 * @example
 * ```ts
 * const prepared = await preparePermit2Settlement(payment, paymentPayload, { signer, network, context });
 * if ("call" in prepared) return settleRecorded(prepared.call, options);
 * ```
 */
export async function preparePermit2Settlement(
  payment: CheckedPermit2Payment,
  paymentPayload: unknown,
  { signer, network, context }: PreparePermit2Options,
): Promise<{ call: SettlementCall } | { response: SettleResponse }> {
  const failure = (reason: string, message: string) => ({
    response: failedSettlement(network, reason, message, payment.payer),
  });
  const sponsored = {
    payer: payment.payer,
    token: payment.requirements.asset,
    amount: payment.amount,
    chainId: signer.chainId,
    nowSeconds: Math.floor(Date.now() / 1000),
  };
  let data = encodeExactPermit2Settle(payment.payload);
  const permit = extractEip2612GasSponsoringInfo(paymentPayload);
  if (permit) {
    const valid = checkEip2612PermitForPayment(permit, sponsored);
    if (!valid.ok) return failure(valid.reason, valid.message);
    data = encodeExactPermit2Settle(payment.payload, permit);
  } else {
    const extension = context?.getExtension(ERC20_APPROVAL_GAS_SPONSORING.key);
    const approval = extension ? extractErc20ApprovalGasSponsoringInfo(paymentPayload) : null;
    const sponsor = approval ? erc20ApprovalSignerFor(extension, network) : undefined;
    const diagnosis = {
      config: exactPermit2ProxyConfig,
      token: payment.requirements.asset,
      owner: payment.payer,
      amount: payment.amount,
    };
    if (approval && sponsor) {
      const valid = await checkErc20ApprovalForPayment(approval, sponsored);
      if (!valid.ok) return failure(valid.reason, valid.message);
      // Re-checked on the chain as it is now (balance, the sponsor's limits) before any funding.
      const approved = await broadcastSponsoredApproval({
        signer,
        sponsor,
        serialized: approval.signedTransaction,
        diagnosis,
      });
      if (!approved.ok) return failure(approved.reason, approved.message);
    } else if ((await permit2AllowanceOf(signer, diagnosis.token, diagnosis.owner)) < payment.amount) {
      return failure(R.AllowanceRequired, "Permit2 may not move the payer's tokens: approve Permit2 first");
    }
  }
  const { asset, payTo } = payment.requirements;
  return {
    call: {
      to: x402ExactPermit2ProxyAddress,
      data,
      payer: payment.payer,
      transfers: [{ asset, from: payment.payer, to: payTo, value: payment.amount.toString() }],
    },
  };
}

/**
 * A Permit2 settlement the node refused, with the official reason of its revert (proxy and
 * Permit2 custom errors decoded); other answers unchanged.
 *
 * @example
 * ```ts
 * return withPermit2Reason(await settleRecorded(call, options));
 * ```
 */
export function withPermit2Reason(response: SettleResponse): SettleResponse {
  if (response.success || response.transaction || response.errorReason === ExactEvmReason.SettlementPending)
    return response;
  if (response.errorReason === ExactEvmReason.DuplicateSettlement) return response;
  const message = describePermit2Revert(response.errorMessage ?? "");
  const reason = permit2ReasonFromRevert(message, [], response.errorReason ?? R.TransactionFailed);
  return { ...response, errorReason: reason.split(":")[0] as string, errorMessage: message.slice(0, 500) };
}
