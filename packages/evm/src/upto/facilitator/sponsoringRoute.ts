import type { CheckResult, FacilitatorContext } from "@x402kit/core";
import {
  type CheckedApprovalTx,
  checkEip2612PermitForPayment,
  checkErc20ApprovalForPayment,
  type SponsoredPayment,
} from "../../gasSponsoring/checkExtensionInfo.js";
import {
  type Eip2612GasSponsoringInfo,
  extractEip2612GasSponsoringInfo,
} from "../../gasSponsoring/eip2612.js";
import {
  type Erc20ApprovalGasSponsoringSigner,
  erc20ApprovalSignerFor,
  extractErc20ApprovalGasSponsoringInfo,
} from "../../gasSponsoring/erc20Approval.js";

/** The extension key of ERC-20 approval sponsoring (the facilitator must register it to honour it). */
const ERC20_APPROVAL_KEY = "erc20ApprovalGasSponsoring";

/**
 * How an upto payment reaches the chain, as the official facilitator chooses it: with an
 * EIP-2612 permit for Permit2 (`settleWithPermit`), after the payer's signed approval (the
 * ERC-20 approval extension, only when this facilitator registered it), or plainly (`settle`).
 */
export type UptoSettlementRoute =
  | { kind: "plain" }
  | { kind: "eip2612"; permit: Eip2612GasSponsoringInfo }
  | { kind: "approval"; signer: Erc20ApprovalGasSponsoringSigner; approval: CheckedApprovalTx };

/**
 * The route of a payment, its extension info checked against the payment (official order and
 * reasons, via the shared gas-sponsoring checks; the permit's value must be the maximum).
 *
 * @example
 * ```ts
 * const route = await uptoSettlementRoute(paymentPayload, context, network, { payer, token, amount: max, chainId, nowSeconds });
 * ```
 */
export async function uptoSettlementRoute(
  paymentPayload: unknown,
  context: FacilitatorContext | undefined,
  network: string,
  payment: SponsoredPayment,
): Promise<CheckResult<UptoSettlementRoute>> {
  const permit = extractEip2612GasSponsoringInfo(paymentPayload);
  if (permit) {
    const checked = checkEip2612PermitForPayment(permit, payment);
    return checked.ok ? { ok: true, value: { kind: "eip2612", permit } } : checked;
  }
  const approval = extractErc20ApprovalGasSponsoringInfo(paymentPayload);
  const signer = approval
    ? erc20ApprovalSignerFor(context?.getExtension(ERC20_APPROVAL_KEY), network)
    : undefined;
  if (approval && signer) {
    const checked = await checkErc20ApprovalForPayment(approval, payment);
    return checked.ok ? { ok: true, value: { kind: "approval", signer, approval: checked.value } } : checked;
  }
  return { ok: true, value: { kind: "plain" } };
}

/** Gas of the settlement sent after a sponsored approval (the official value). */
export const SPONSORED_SETTLE_GAS = 300_000n;
