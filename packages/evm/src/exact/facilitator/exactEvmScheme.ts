import type {
  FacilitatorContext,
  PaymentPayload,
  PaymentRequirements,
  SchemeFacilitator,
  SettleResponse,
  VerifyResponse,
} from "@x402kit/core";
import { describeError, failedSettlement } from "@x402kit/core";
import { type KeyValueStore, MemoryStore } from "@x402kit/core/storage";
import { toEvmNetwork } from "../../network.js";
import { Permit2Reason } from "../../permit2/reasons.js";
import { ExactEvmReason as R } from "../../reasons.js";
import { isRecord } from "../payload.js";
import { type AllowedAssets, assetAllowList } from "./assetAllowList.js";
import { DeployedAssetCache } from "./checkChainState.js";
import { verifyExactPermit2 } from "./permit2/verifyPermit2.js";
import {
  followRecorded,
  type RecordedSettlementOptions,
  recordPayer,
  settleRecorded,
} from "./settlementFlow.js";
import { SettlementLedger, type SettlementRecord } from "./settlementLedger.js";
import { isPermit2Shaped, type PlanDependencies, planSettlement } from "./settlementPlan.js";
import type { FacilitatorEvmSigner } from "./signer.js";
import { verifyTransferWithAuthorization } from "./verifyTransfer.js";
import { type FacilitatorEvmSignerSource, toFacilitatorEvmSigner } from "./viemSigner.js";

/**
 * Options of {@link ExactEvmScheme}.
 *
 * @example
 * ```ts
 * new ExactEvmScheme(signer, { simulateInSettle: true, receiptTimeoutMs: 30_000, store: new SqliteStore("x402.db") });
 * ```
 */
export interface ExactEvmSchemeConfig {
  /** Dry-run the transfer again right before broadcasting. Default `false` (verify already did). */
  simulateInSettle?: boolean;
  /**
   * How long settle waits for a receipt before answering `settlement_pending`. Default 20 s,
   * below the 30 s a resource server's facilitator client waits for the whole settle call.
   */
  receiptTimeoutMs?: number;
  /**
   * Where in-flight guards and settlement records live. Default: a {@link MemoryStore} of this
   * instance. Share a durable store (`@x402kit/storage`: SQLite, Redis, PostgreSQL) to survive
   * restarts and to deduplicate across several facilitator instances.
   */
  store?: KeyValueStore;
  /**
   * Lifetime of an authorization's in-flight guard; the settle holding it renews it every
   * third of this, so a crashed holder frees it within this time. Default 30 s.
   */
  guardTtlMs?: number;
  /** How long settlement records answer retries. Default 24 h. */
  recordTtlMs?: number;
  /**
   * Tokens this facilitator settles, added to the network's known stablecoin (`"any"`: every
   * token). Default: the known stablecoin only, or any token on a local chain (31337, 1337). A
   * token not allowed is refused (`invalid_exact_evm_asset_not_allowed`) before any chain call.
   */
  allowedAssets?: AllowedAssets;
  /** ERC-6492 factories whose counterfactual wallets may pay (deployed at settlement). Default: none. */
  eip6492AllowedFactories?: readonly string[];
}

/** @deprecated Use {@link ExactEvmSchemeConfig}. */
export type ExactEvmFacilitatorOptions = ExactEvmSchemeConfig;

/**
 * Facilitator side of scheme `exact` on one EVM chain: verifies EIP-3009 authorizations and
 * settles them with `transferWithAuthorization`, and Permit2 payments (payload
 * `permit2Authorization`) through `x402ExactPermit2Proxy` — with the `eip2612GasSponsoring`
 * permit (`settleWithPermit`) or, when the `erc20ApprovalGasSponsoring` extension is registered
 * with a sponsoring signer, the payer's signed approval broadcast first — paying gas from the
 * signer's account. One instance serves the chain of its signer (`eip155:<chainId>`).
 *
 * Settlement is idempotent per authorization (EIP-3009: payer + nonce + chain + token;
 * Permit2: chain + Permit2 + owner + nonce), through the
 * {@link ExactEvmSchemeConfig.store}: one settle at a time holds the authorization's guard (a
 * lease with a TTL, renewed while it works), so a concurrent duplicate gets
 * `duplicate_settlement`; right after broadcasting, the hash and a digest of the payment are
 * stored before waiting for the receipt, so a later retry of the same payment (here, on another
 * instance sharing the store, or after a crash) follows that transaction and answers its
 * outcome, never sending a second one; a different payment reusing the authorization gets
 * `duplicate_settlement`.
 *
 * @example
 * ```ts
 * const walletClient = createWalletClient({ account: privateKeyToAccount(key), chain: base, transport: http() });
 * const facilitator = new x402Facilitator().register("eip155:8453", new ExactEvmScheme({ walletClient }));
 * ```
 */
export class ExactEvmScheme implements SchemeFacilitator {
  readonly scheme = "exact";
  readonly caipFamily = "eip155:*";
  /** The CAIP-2 network this instance serves. */
  readonly network: `eip155:${number}`;
  private readonly signer: FacilitatorEvmSigner;
  private readonly assets = new DeployedAssetCache();
  private readonly ledger: SettlementLedger;
  private readonly simulateInSettle: boolean;
  private readonly receiptTimeoutMs: number;
  private readonly policy: Pick<PlanDependencies, "isAssetAllowed" | "allowedFactories">;

  constructor(signer: FacilitatorEvmSigner | FacilitatorEvmSignerSource, config: ExactEvmSchemeConfig = {}) {
    this.signer = isFacilitatorEvmSigner(signer) ? signer : toFacilitatorEvmSigner(signer);
    this.network = toEvmNetwork(this.signer.chainId);
    this.simulateInSettle = config.simulateInSettle ?? false;
    this.receiptTimeoutMs = config.receiptTimeoutMs ?? 20_000;
    this.policy = {
      isAssetAllowed: assetAllowList(this.signer.chainId, config.allowedAssets),
      allowedFactories: config.eip6492AllowedFactories ?? [],
    };
    this.ledger = new SettlementLedger(config.store ?? new MemoryStore(), {
      guardTtlMs: config.guardTtlMs ?? 30_000,
      recordTtlMs: config.recordTtlMs ?? 24 * 3_600_000,
    });
  }

  /** EVM exact advertises no `extra` in `/supported`. */
  getExtra(_network: string): Record<string, unknown> | undefined {
    return undefined;
  }

  /** The accounts that send settlements. */
  getSigners(_network: string): string[] {
    return [...(this.signer.addresses ?? [this.signer.address])];
  }

  /**
   * Verify a payment (with simulation): EIP-3009, or Permit2 when the payload carries
   * `permit2Authorization` (with its gas-sponsoring extension, found through `context`).
   * Never throws. A payment whose settlement was broadcast but never answered
   * (`settlement_pending`, a crash) is valid: its retry must reach `settle`, which follows that
   * transaction, although the chain already sees its nonce as used.
   */
  async verify(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: FacilitatorContext,
  ): Promise<VerifyResponse> {
    const permit2 = isPermit2Shaped(payload);
    const result = permit2
      ? (
          await verifyExactPermit2(payload, requirements, {
            signer: this.signer,
            assets: this.assets,
            simulate: true,
            context,
            isAssetAllowed: this.policy.isAssetAllowed,
          })
        ).response
      : (
          await verifyTransferWithAuthorization(payload, requirements, {
            signer: this.signer,
            assets: this.assets,
            simulate: true,
            ...this.policy,
          })
        ).response;
    const spent = permit2 ? PERMIT2_SPENT_REASONS : [R.NonceAlreadyUsed];
    if (result.isValid || !spent.includes(result.invalidReason ?? "")) return result;
    const unanswered = await this.unansweredSettlement(payload, requirements, context).catch(() => undefined);
    return unanswered ? { isValid: true, payer: result.payer ?? recordPayer(unanswered) ?? "" } : result;
  }

  /** The stored broadcast of exactly this payment whose outcome nobody was told yet. */
  private async unansweredSettlement(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: FacilitatorContext,
  ): Promise<SettlementRecord | undefined> {
    const network =
      isRecord(requirements) && typeof requirements.network === "string"
        ? requirements.network
        : this.network;
    const plan = planSettlement(payload, requirements, this.planDependencies(network, context));
    if ("failure" in plan) return undefined;
    const record = await this.ledger.read(plan.key);
    return record && (!record.response || record.answered === false) && record.digest === plan.digest
      ? record
      : undefined;
  }

  /**
   * Settle a payment on chain (EIP-3009 `transferWithAuthorization`, or the exact Permit2
   * proxy's `settle` / `settleWithPermit`, after a sponsored approval when one came along), or
   * answer the outcome of its earlier settlement. Never throws.
   *
   * Only a payment whose signature is its payer's may take the in-flight guard: a forged copy
   * (the victim's payer and nonce, a bad signature) sent just before the real payment is refused
   * with the signature reason and cannot make the real one fail as `duplicate_settlement`.
   */
  async settle(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: FacilitatorContext,
  ): Promise<SettleResponse> {
    const network =
      isRecord(requirements) && typeof requirements.network === "string"
        ? requirements.network
        : this.network;
    const plan = planSettlement(payload, requirements, this.planDependencies(network, context));
    if ("failure" in plan) return plan.failure;
    const failure = (reason: string, message: string) =>
      failedSettlement(network, reason, message, plan.payer);
    const options: RecordedSettlementOptions = {
      signer: this.signer,
      network,
      receiptTimeoutMs: this.receiptTimeoutMs,
      ledger: this.ledger,
      key: plan.key,
      digest: plan.digest,
    };
    try {
      const existing = await this.ledger.read(plan.key);
      // Another payment reusing this authorization: answered without taking its guard.
      if (existing && existing.digest !== plan.digest) return await followRecorded(existing, options);
      if (!existing) {
        if (!plan.checked.ok) return failure(plan.checked.reason, plan.checked.message);
        const signed = await plan.checkSignature();
        if (!signed.ok) return failure(signed.reason, signed.message);
      }
      const guard = await this.ledger.claim(plan.key);
      if (!guard) return failure(R.DuplicateSettlement, "this authorization is already being settled");
      try {
        // A broadcast already recorded: follow it (no re-check: it may be past its validity window by now).
        const recorded = await this.ledger.read(plan.key);
        if (recorded) return await followRecorded(recorded, options);
        if (!plan.checked.ok) return failure(plan.checked.reason, plan.checked.message);
        const prepared = await plan.prepare();
        if ("response" in prepared) return prepared.response;
        // sign → record → send → wait: from the record on, a retry follows this transaction.
        const target = prepared.target ? { target: prepared.target } : {};
        return plan.explain(await settleRecorded(prepared.call, { ...options, ...target }));
      } finally {
        await guard.release().catch(() => undefined);
      }
    } catch (error) {
      return failure(R.UnexpectedSettleError, describeError(error));
    }
  }

  private planDependencies(network: string, context?: FacilitatorContext): PlanDependencies {
    return {
      signer: this.signer,
      assets: this.assets,
      network,
      simulateInSettle: this.simulateInSettle,
      ...this.policy,
      ...(context ? { context } : {}),
    };
  }
}

/**
 * Verify reasons of a Permit2 payment whose nonce may be spent by a settlement of ours: the
 * dry run then fails, and its diagnosis may find the balance or a one-off (EIP-2612) allowance
 * already consumed by that very settlement.
 */
const PERMIT2_SPENT_REASONS: readonly string[] = [
  Permit2Reason.SimulationFailed,
  Permit2Reason.InvalidNonce,
  Permit2Reason.AllowanceRequired,
  Permit2Reason.InsufficientBalance,
];

/** @deprecated The official name is {@link ExactEvmScheme}. */
export const ExactEvmFacilitator = ExactEvmScheme;
/** @deprecated The official name is {@link ExactEvmScheme}. */
export type ExactEvmFacilitator = ExactEvmScheme;

function isFacilitatorEvmSigner(value: unknown): value is FacilitatorEvmSigner {
  return (
    isRecord(value) &&
    typeof value.chainId === "number" &&
    typeof value.call === "function" &&
    typeof value.waitForTransactionReceipt === "function" &&
    !("request" in value)
  );
}
