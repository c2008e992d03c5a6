import { type CheckResult, type FacilitatorContext, fail } from "@x402kit/core";
import type { FacilitatorEvmSigner } from "../../exact/facilitator/signer.js";
import { isRecord } from "../../exact/payload.js";
import { checkSponsoredApproval, permit2AllowanceOf } from "../../gasSponsoring/sponsoredApproval.js";
import {
  checkPermit2Authorization,
  checkPermit2Signature,
  describePermit2PayloadProblem,
  diagnosePermit2Failure,
  Permit2Reason,
} from "../../permit2/index.js";
import {
  UPTO_PERMIT2_WITNESS,
  UptoEvmReason,
  type UptoPermit2Payload,
  uptoPermit2ProxyConfig,
} from "../payload.js";
import { SPONSORED_SETTLE_GAS, type UptoSettlementRoute, uptoSettlementRoute } from "./sponsoringRoute.js";
import { encodeUptoSettle } from "./uptoCalldata.js";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** A payload that passed verification, with what settling it needs. */
export interface VerifiedUpto {
  payload: UptoPermit2Payload;
  /** The account named as `witness.facilitator`: it simulates and must send the settlement. */
  signer: FacilitatorEvmSigner;
  payer: `0x${string}`;
  asset: `0x${string}`;
  payTo: `0x${string}`;
  max: bigint;
  /** How it reaches the chain (plain, with an EIP-2612 permit, after a sponsored approval). */
  route: UptoSettlementRoute;
}

/** The payer named by a payload, or `""` (official) when it is not readable. */
export function uptoPayerOf(paymentPayload: unknown): string {
  const inner = isRecord(paymentPayload) ? paymentPayload.payload : undefined;
  const auth = isRecord(inner) ? inner.permit2Authorization : undefined;
  return isRecord(auth) && typeof auth.from === "string" ? auth.from : "";
}

/**
 * The official upto verify, in its order, with `requirements.amount` as the maximum:
 * scheme, network, payload shape, asset deployed, spender, recipient, facilitator, deadline,
 * validAfter, amount equality, token, signature, then (when `simulate`) an `eth_call` of
 * `settle` for the whole maximum from the facilitator's address (the proxy checks `msg.sender`).
 */
export async function verifyUpto(
  paymentPayload: unknown,
  requirements: unknown,
  options: {
    signers: readonly FacilitatorEvmSigner[];
    simulate: boolean;
    nowSeconds: number;
    context?: FacilitatorContext;
    /** The facilitator's asset allow-list (no chain call for a refused token). */
    isAssetAllowed?: (asset: string) => boolean;
  },
): Promise<CheckResult<VerifiedUpto>> {
  const first = options.signers[0] as FacilitatorEvmSigner;
  if (!isRecord(paymentPayload) || !isRecord(requirements) || !isRecord(paymentPayload.accepted))
    return fail("invalid_payload", "paymentPayload.accepted and paymentRequirements must be objects");
  const { accepted } = paymentPayload;
  if (accepted.scheme !== "upto" || requirements.scheme !== "upto")
    return fail(
      UptoEvmReason.Scheme,
      `scheme must be "upto" (got ${String(accepted.scheme)} / ${String(requirements.scheme)})`,
    );
  const served = `eip155:${first.chainId}`;
  if (accepted.network !== requirements.network || requirements.network !== served)
    return fail(
      UptoEvmReason.NetworkMismatch,
      `accepted ${String(accepted.network)}, required ${String(requirements.network)}; this facilitator serves ${served}`,
    );
  const problem = describePermit2PayloadProblem(paymentPayload.payload, UPTO_PERMIT2_WITNESS);
  if (problem) return fail(Permit2Reason.UnsupportedPayloadType, problem);
  const payload = paymentPayload.payload as unknown as UptoPermit2Payload;
  const { asset, payTo, amount } = requirements;
  if (typeof asset !== "string" || !ADDRESS.test(asset) || typeof payTo !== "string" || !ADDRESS.test(payTo))
    return fail("invalid_payment_requirements", "asset and payTo must be EVM addresses");
  if (typeof amount !== "string" || !/^\d{1,78}$/.test(amount))
    return fail("invalid_payment_requirements", "amount must be atomic base-10 digits");
  if (options.isAssetAllowed && !options.isAssetAllowed(asset))
    return fail(UptoEvmReason.AssetNotAllowed, `this facilitator does not settle ${asset}`);
  const auth = payload.permit2Authorization;
  const deployed = first.getCode(asset as `0x${string}`).catch(() => undefined);

  const checked = checkPermit2Authorization(
    auth as never,
    { asset, payTo, amount },
    {
      config: uptoPermit2ProxyConfig,
      nowSeconds: options.nowSeconds,
    },
  );
  // Official order: spender, recipient, then the facilitator, then the rest. The proxy lets only
  // witness.facilitator settle: it must be one of this facilitator's accounts, which then
  // simulates and sends from that very address.
  const before =
    !checked.ok &&
    (checked.reason === Permit2Reason.InvalidSpender || checked.reason === Permit2Reason.RecipientMismatch);
  const named = auth.witness.facilitator.toLowerCase();
  const signer = options.signers.find((one) => one.address.toLowerCase() === named);
  if (before) return checked;
  if (!signer)
    return fail(
      UptoEvmReason.FacilitatorMismatch,
      `witness.facilitator ${auth.witness.facilitator} is not this facilitator`,
    );
  if (!checked.ok) return checked;
  const code = await deployed;
  if (!code || code === "0x") return fail(Permit2Reason.AssetNotDeployed, `no contract at ${asset}`);
  const signed = await checkPermit2Signature(
    signer,
    auth as never,
    payload.signature,
    uptoPermit2ProxyConfig,
  );
  if (!signed.ok) return signed;

  const max = BigInt(auth.permitted.amount);
  const token = asset as `0x${string}`;
  const routed = await uptoSettlementRoute(paymentPayload, options.context, served, {
    payer: auth.from,
    token,
    amount: max,
    chainId: first.chainId,
    nowSeconds: options.nowSeconds,
  });
  if (!routed.ok) return routed;
  const route = routed.value;
  if (options.simulate) {
    // The worst case: the whole maximum, from the account the proxy will accept.
    const data = encodeUptoSettle(payload, max, route.kind === "eip2612" ? route.permit : undefined);
    const diagnosis = { config: uptoPermit2ProxyConfig, token, owner: auth.from, amount: max };
    if (route.kind === "approval" && (await permit2AllowanceOf(signer, token, auth.from)) < max) {
      const serialized = route.approval.serialized;
      const bundle = [serialized, { to: uptoPermit2ProxyConfig.proxy, data, gas: SPONSORED_SETTLE_GAS }];
      if (route.signer.simulateTransactions) {
        if (!(await route.signer.simulateTransactions(bundle).catch(() => false)))
          return diagnosePermit2Failure(signer, diagnosis, "the approval + settle bundle would fail");
      }
      // The payer's balance and the sponsor's own limits (fee, gas, funding, cooldown, budget).
      const ready = await checkSponsoredApproval({ signer, sponsor: route.signer, serialized, diagnosis });
      if (!ready.ok) return ready;
    } else {
      const simulated = await signer.call({ to: uptoPermit2ProxyConfig.proxy, data });
      if (!simulated.ok) return diagnosePermit2Failure(signer, diagnosis, simulated.revert);
    }
  }
  return {
    ok: true,
    value: {
      payload,
      signer,
      route,
      payer: auth.from,
      asset: asset as `0x${string}`,
      payTo: payTo as `0x${string}`,
      max,
    },
  };
}
