import { type CheckResult, describeError, fail } from "@x402kit/core";
import { decodeFunctionResult, encodeFunctionData } from "viem";
import type { FacilitatorEvmSigner } from "../exact/facilitator/signer.js";
import { erc20PermitAbi } from "../permit2/abi.js";
import { checkPermit2Prerequisites, type Permit2Diagnosis } from "../permit2/checks.js";
import { PERMIT2_ADDRESS } from "../permit2/constants.js";
import { Permit2Reason as R } from "../permit2/reasons.js";
import type { Erc20ApprovalGasSponsoringSigner } from "./erc20Approval.js";

/**
 * A payer's signed approval, the sponsor that would broadcast it, and the payment it is for.
 *
 * @example
 * ```ts
 * const approval: SponsoredApproval = { signer, sponsor, serialized, diagnosis: { config, token, owner, amount } };
 * ```
 */
export interface SponsoredApproval {
  /** The settling facilitator's chain access (reads only here). */
  signer: Pick<FacilitatorEvmSigner, "call">;
  sponsor: Erc20ApprovalGasSponsoringSigner;
  serialized: `0x${string}`;
  /** The proxy, token, payer and the amount Permit2 must be able to move. */
  diagnosis: Permit2Diagnosis;
}

/**
 * Would the approval route work now? The proxy is deployed and the payer holds the amount
 * (a payer without the tokens is never funded), then the sponsor's own limits
 * (`checkApproval`: fee, gas, funding bound, cooldown, budget). Never sends anything.
 *
 * @example
 * ```ts
 * const ready = await checkSponsoredApproval({ signer, sponsor, serialized, diagnosis });
 * if (!ready.ok) return invalid(ready);
 * ```
 */
export async function checkSponsoredApproval(approval: SponsoredApproval): Promise<CheckResult> {
  const ready = await checkPermit2Prerequisites(approval.signer, approval.diagnosis);
  if (!ready.ok || !approval.sponsor.checkApproval) return ready;
  const sponsorable = await approval.sponsor
    .checkApproval(approval.serialized)
    .catch((error: unknown): CheckResult => fail(R.Erc20ApprovalBroadcastFailed, describeError(error)));
  return sponsorable.ok ? sponsorable : fail(R.Erc20ApprovalBroadcastFailed, sponsorable.message);
}

/**
 * Settle-time: when Permit2's allowance is already enough, nothing (an approval in place costs
 * nobody anything); otherwise {@link checkSponsoredApproval} again on the chain as it is now,
 * then the sponsor broadcasts the approval (funding the payer within its limits) and waits for it.
 *
 * @example
 * ```ts
 * const approved = await broadcastSponsoredApproval({ signer, sponsor, serialized, diagnosis });
 * if (!approved.ok) return failure(approved.reason, approved.message);
 * ```
 */
export async function broadcastSponsoredApproval(approval: SponsoredApproval): Promise<CheckResult> {
  const { signer, diagnosis } = approval;
  if ((await permit2AllowanceOf(signer, diagnosis.token, diagnosis.owner)) >= diagnosis.amount)
    return { ok: true, value: undefined };
  const ready = await checkSponsoredApproval(approval);
  if (!ready.ok) return ready;
  try {
    await approval.sponsor.sendTransactions([approval.serialized]);
    return { ok: true, value: undefined };
  } catch (error) {
    return fail(R.Erc20ApprovalBroadcastFailed, describeError(error));
  }
}

/**
 * Permit2's current allowance over `owner`'s `token` (0 when unreadable).
 *
 * @example
 * ```ts
 * if ((await permit2AllowanceOf(signer, usdc, payer)) < amount) console.log("approval needed");
 * ```
 */
export async function permit2AllowanceOf(
  signer: Pick<FacilitatorEvmSigner, "call">,
  token: `0x${string}`,
  owner: `0x${string}`,
): Promise<bigint> {
  const result = await signer
    .call({
      to: token,
      data: encodeFunctionData({
        abi: erc20PermitAbi,
        functionName: "allowance",
        args: [owner, PERMIT2_ADDRESS],
      }),
    })
    .catch(() => undefined);
  if (!result?.ok) return 0n;
  try {
    return decodeFunctionResult({ abi: erc20PermitAbi, functionName: "allowance", data: result.data });
  } catch {
    return 0n;
  }
}
