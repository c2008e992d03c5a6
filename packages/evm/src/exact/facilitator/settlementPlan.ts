import type { CheckResult, FacilitatorContext, SettleResponse } from "@x402kit/core";
import { failedSettlement } from "@x402kit/core";
import { checkPermit2Signature, exactPermit2ProxyConfig } from "../../permit2/checks.js";
import {
  describePermit2PayloadProblem,
  type ExactPermit2Payload,
  permit2NonceKey,
} from "../../permit2/payload.js";
import { ExactEvmReason as R } from "../../reasons.js";
import { authorizationKey, isRecord } from "../payload.js";
import type { DeployedAssetCache } from "./checkChainState.js";
import { checkPaymentAgainstRequirements } from "./checkPayment.js";
import { checkAuthorizationSignature } from "./checkSignature.js";
import { deployCounterfactualWallet } from "./deployCounterfactualWallet.js";
import { checkPermit2Payment } from "./permit2/checkPermit2Payment.js";
import { preparePermit2Settlement, withPermit2Reason } from "./permit2/preparePermit2Settlement.js";
import { permit2PayerOf, verifyExactPermit2 } from "./permit2/verifyPermit2.js";
import { exactEvmPayloadOf, paymentDigest } from "./settlementLedger.js";
import { type SettlementCall, type SettlementTarget, transferCall } from "./settleTransfer.js";
import type { FacilitatorEvmSigner } from "./signer.js";
import { payerOf, verifyTransferWithAuthorization } from "./verifyTransfer.js";

/** Outcome of {@link SettlementPlan.prepare}: the call to settle, or why nothing is sent. */
export type PreparedSettlement =
  | { call: SettlementCall; target?: SettlementTarget }
  | { response: SettleResponse };

/**
 * One payment's settlement, whatever its transfer method (EIP-3009 or Permit2): the ledger
 * key of what the chain refuses to spend twice, the digest of this exact payment, the local
 * verdict, the signature check that must pass before the in-flight guard may be taken (so a
 * forged copy cannot block the real payment), the re-verify and pre-steps that yield the
 * settlement call, and the reason mapping of its failures.
 *
 * @example
 * ```ts
 * const plan = planSettlement(payload, requirements, dependencies);
 * if ("failure" in plan) return plan.failure;
 * ```
 */
export interface SettlementPlan {
  key: string;
  digest: string;
  payer?: string;
  /** Local checks; a failure is answered unless a broadcast of this key was recorded. */
  checked: CheckResult<unknown>;
  checkSignature(): Promise<CheckResult<unknown>>;
  prepare(): Promise<PreparedSettlement>;
  /** Official reasons for this method's failed sends. */
  explain(response: SettleResponse): SettleResponse;
}

/** What planning needs from the scheme. */
export interface PlanDependencies {
  signer: FacilitatorEvmSigner;
  assets: DeployedAssetCache;
  network: string;
  simulateInSettle: boolean;
  isAssetAllowed: (asset: string) => boolean;
  allowedFactories: readonly string[];
  context?: FacilitatorContext;
}

/** True for a payload with `permit2Authorization` and no `authorization` (the official routing). */
export function isPermit2Shaped(paymentPayload: unknown): boolean {
  const inner = isRecord(paymentPayload) ? paymentPayload.payload : undefined;
  return isRecord(inner) && !("authorization" in inner) && "permit2Authorization" in inner;
}

/**
 * The {@link SettlementPlan} of a payment, or the failure answer when not even its key can be
 * named (malformed payload or requirements).
 *
 * @example
 * ```ts
 * const plan = planSettlement(payload, requirements, { signer, assets, network, simulateInSettle: false, isAssetAllowed, allowedFactories: [] });
 * ```
 */
export function planSettlement(
  payload: unknown,
  requirements: unknown,
  deps: PlanDependencies,
): SettlementPlan | { failure: SettleResponse } {
  return isPermit2Shaped(payload)
    ? planPermit2(payload, requirements, deps)
    : planEip3009(payload, requirements, deps);
}

function planEip3009(
  payload: unknown,
  requirements: unknown,
  deps: PlanDependencies,
): SettlementPlan | { failure: SettleResponse } {
  const { signer, network } = deps;
  const payer = payerOf(payload);
  const inner = exactEvmPayloadOf(payload);
  const checked = checkPaymentAgainstRequirements(
    payload,
    requirements,
    signer.chainId,
    nowSeconds(),
    deps.isAssetAllowed,
  );
  if (!inner || !isRecord(requirements) || typeof requirements.asset !== "string")
    return {
      failure: checked.ok
        ? failedSettlement(network, R.InvalidPayload, "malformed payload", payer)
        : failedSettlement(network, checked.reason, checked.message, payer),
    };
  const { from, nonce } = inner.authorization;
  return {
    key: authorizationKey(network, requirements.asset, from, nonce),
    digest: paymentDigest(inner, requirements as never),
    payer,
    checked,
    checkSignature: async () =>
      checked.ok
        ? checkAuthorizationSignature(signer, checked.value, { allowedFactories: deps.allowedFactories })
        : { ok: true, value: undefined },
    async prepare() {
      const verified = await verifyTransferWithAuthorization(payload, requirements, {
        signer,
        assets: deps.assets,
        simulate: deps.simulateInSettle,
        isAssetAllowed: deps.isAssetAllowed,
        allowedFactories: deps.allowedFactories,
      });
      const payment = verified.payment;
      if (!payment) return { response: settleFailure(verified.response, network, payer) };
      // A counterfactual (ERC-6492) payer: its wallet is deployed first (factory allowed at verify).
      const undeployed = payment.deployment
        ? await deployCounterfactualWallet(payment, { signer, network, receiptTimeoutMs: 30_000 })
        : undefined;
      return undeployed ? { response: undeployed } : { call: transferCall(payment), target: payment };
    },
    explain: (response) => response,
  };
}

function planPermit2(
  payload: unknown,
  requirements: unknown,
  deps: PlanDependencies,
): SettlementPlan | { failure: SettleResponse } {
  const { signer, network } = deps;
  const payer = permit2PayerOf(payload);
  const inner = isRecord(payload) ? payload.payload : undefined;
  const problem = describePermit2PayloadProblem(inner);
  const checked = checkPermit2Payment(
    payload,
    requirements,
    signer.chainId,
    nowSeconds(),
    deps.isAssetAllowed,
  );
  if (problem || !isRecord(requirements))
    return {
      failure: checked.ok
        ? failedSettlement(network, R.InvalidPayload, problem ?? "malformed requirements", payer)
        : failedSettlement(network, checked.reason, checked.message, payer),
    };
  const { signature, permit2Authorization: auth } = inner as unknown as ExactPermit2Payload;
  return {
    key: permit2NonceKey(network, auth.from, auth.nonce),
    // Without valid requirements there is no payment to compare; no record will match this.
    digest: checked.ok ? checked.value.digest : "unchecked",
    payer,
    checked,
    checkSignature: () => checkPermit2Signature(signer, auth as never, signature, exactPermit2ProxyConfig),
    async prepare() {
      const verified = await verifyExactPermit2(payload, requirements, {
        signer,
        assets: deps.assets,
        simulate: deps.simulateInSettle,
        context: deps.context,
        isAssetAllowed: deps.isAssetAllowed,
      });
      if (!verified.payment) return { response: settleFailure(verified.response, network, payer) };
      return preparePermit2Settlement(verified.payment, payload, { signer, network, context: deps.context });
    },
    explain: withPermit2Reason,
  };
}

function settleFailure(
  response: { invalidReason?: string | null; invalidMessage?: string | null },
  network: string,
  payer: string | undefined,
): SettleResponse {
  const reason =
    response.invalidReason === R.UnexpectedVerifyError ? R.UnexpectedSettleError : response.invalidReason;
  return failedSettlement(network, reason ?? R.InvalidPayload, response.invalidMessage ?? "", payer);
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
