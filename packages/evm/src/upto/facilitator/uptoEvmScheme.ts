import type {
  FacilitatorContext,
  PaymentPayload,
  PaymentRequirements,
  SchemeFacilitator,
  SettleResponse,
  VerifyResponse,
} from "@x402kit/core";
import { describeError, failedSettlement, invalidVerification, X402Error } from "@x402kit/core";
import { type KeyValueStore, MemoryStore } from "@x402kit/core/storage";
import { keccak256, stringToHex } from "viem";
import { type AllowedAssets, assetAllowList } from "../../exact/facilitator/assetAllowList.js";
import { followRecorded, settleRecorded } from "../../exact/facilitator/settlementFlow.js";
import { SettlementLedger } from "../../exact/facilitator/settlementLedger.js";
import type { SettlementCall } from "../../exact/facilitator/settleTransfer.js";
import type { FacilitatorEvmSigner } from "../../exact/facilitator/signer.js";
import {
  type FacilitatorEvmSignerSource,
  toFacilitatorEvmSigner,
} from "../../exact/facilitator/viemSigner.js";
import { isRecord } from "../../exact/payload.js";
import { broadcastSponsoredApproval } from "../../gasSponsoring/sponsoredApproval.js";
import { toEvmNetwork } from "../../network.js";
import {
  describePermit2PayloadProblem,
  Permit2Reason,
  permit2NonceKey,
  permit2ReasonFromRevert,
} from "../../permit2/index.js";
import { UPTO_PERMIT2_WITNESS, UptoEvmReason, uptoPermit2ProxyConfig } from "../payload.js";
import { encodeUptoSettle } from "./uptoCalldata.js";
import { uptoPayerOf, verifyUpto } from "./verifyUpto.js";

/**
 * Options of the upto {@link UptoEvmScheme} facilitator.
 *
 * @example
 * ```ts
 * new UptoEvmScheme(signer, { store: new SqliteStore("x402.db"), receiptTimeoutMs: 30_000 });
 * ```
 */
export interface UptoEvmSchemeConfig {
  /** How long settle waits for a receipt before answering `settlement_pending`. Default 20 s. */
  receiptTimeoutMs?: number;
  /** In-flight guards and settlement records (share a durable one across instances). Default: memory. */
  store?: KeyValueStore;
  guardTtlMs?: number;
  recordTtlMs?: number;
  /**
   * Tokens this facilitator settles (a token that fakes success costs gas for nothing). Default:
   * the network's known stablecoin, or any token on a local chain (31337, 1337); `"any"`: all.
   */
  allowedAssets?: AllowedAssets;
}

/**
 * Facilitator side of scheme `upto` on one EVM chain (Permit2 + `x402UptoPermit2Proxy`):
 * verifies the signed maximum (with an `eth_call` of the whole maximum from its own address)
 * and settles exactly the charged `requirements.amount` with `settle(permit, amount, …)`. A
 * charge of zero sends nothing and answers success with `transaction: ""`; a charge above the
 * maximum is refused before any call. Settlement is recorded before the receipt wait, keyed
 * by the Permit2 nonce, so a retry follows the same transaction and a replay settles nothing.
 *
 * The proxy lets only the witness's facilitator settle, so each account must be its own
 * signer: pass one signer, or a list (one per key); `/supported` names one of them at random
 * (as the official facilitator does) and the settlement is sent from the account the payer
 * signed for. A pooled signer (`combineFacilitatorEvmSigners`) cannot choose its sending
 * account and is refused.
 *
 * @throws {X402Error} `invalid_facilitator_config` for no signer, a pooled signer, or signers on different chains.
 * @example
 * ```ts
 * facilitator.register("eip155:8453", new UptoEvmScheme({ walletClient }));
 * ```
 */
export class UptoEvmScheme implements SchemeFacilitator {
  readonly scheme = "upto";
  readonly caipFamily = "eip155:*";
  readonly network: `eip155:${number}`;
  private readonly signers: readonly FacilitatorEvmSigner[];
  private readonly ledger: SettlementLedger;
  private readonly receiptTimeoutMs: number;
  private readonly isAssetAllowed: (asset: string) => boolean;

  constructor(
    signer:
      | FacilitatorEvmSigner
      | FacilitatorEvmSignerSource
      | ReadonlyArray<FacilitatorEvmSigner | FacilitatorEvmSignerSource>,
    config: UptoEvmSchemeConfig = {},
  ) {
    const list = (Array.isArray(signer) ? signer : [signer]) as Array<
      FacilitatorEvmSigner | FacilitatorEvmSignerSource
    >;
    this.signers = list.map((one) => (isSigner(one) ? one : toFacilitatorEvmSigner(one)));
    const first = this.signers[0];
    if (!first) throw new X402Error("invalid_facilitator_config", "upto needs at least one signer");
    if (this.signers.some((one) => (one.addresses?.length ?? 1) > 1))
      throw new X402Error(
        "invalid_facilitator_config",
        "upto settles from the account the payer named: give one signer per account, not a pooled signer",
      );
    if (this.signers.some((one) => one.chainId !== first.chainId))
      throw new X402Error("invalid_facilitator_config", "upto signers must be on one chain");
    this.network = toEvmNetwork(first.chainId);
    this.isAssetAllowed = assetAllowList(first.chainId, config.allowedAssets);
    this.receiptTimeoutMs = config.receiptTimeoutMs ?? 20_000;
    this.ledger = new SettlementLedger(config.store ?? new MemoryStore(), {
      guardTtlMs: config.guardTtlMs ?? 30_000,
      recordTtlMs: config.recordTtlMs ?? 24 * 3_600_000,
    });
  }

  /** `/supported` names the address that must be the witness's facilitator (it sends settlements). */
  getExtra(_network: string): Record<string, unknown> | undefined {
    const pick = this.signers[Math.floor(Math.random() * this.signers.length)] as FacilitatorEvmSigner;
    return { facilitatorAddress: pick.address };
  }

  getSigners(_network: string): string[] {
    return this.signers.map((one) => one.address);
  }

  /** Verify with `requirements.amount` = the maximum (simulated). Never throws. */
  async verify(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: FacilitatorContext,
  ): Promise<VerifyResponse> {
    const payer = uptoPayerOf(payload);
    try {
      const checked = await verifyUpto(payload, requirements, {
        signers: this.signers,
        simulate: true,
        nowSeconds: now(),
        context,
        isAssetAllowed: this.isAssetAllowed,
      });
      return checked.ok
        ? { isValid: true, payer: checked.value.payer }
        : invalidVerification(checked.reason, checked.message, payer);
    } catch (error) {
      return invalidVerification("unexpected_verify_error", describeError(error), payer);
    }
  }

  /** Settle the charged `requirements.amount` (≤ the signed maximum). Never throws. */
  async settle(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: FacilitatorContext,
  ): Promise<SettleResponse> {
    const network =
      isRecord(requirements) && typeof requirements.network === "string"
        ? requirements.network
        : this.network;
    const payer = uptoPayerOf(payload);
    const failure = (reason: string, message: string) => failedSettlement(network, reason, message, payer);
    try {
      const charged = isRecord(requirements) ? requirements.amount : undefined;
      if (typeof charged !== "string" || !/^\d{1,78}$/.test(charged))
        return failure("invalid_payment_requirements", "amount must be atomic base-10 digits");
      const inner = isRecord(payload) && isRecord(payload.payload) ? payload.payload : undefined;
      const auth = inner && isRecord(inner.permit2Authorization) ? inner.permit2Authorization : undefined;
      const max = auth && isRecord(auth.permitted) ? auth.permitted.amount : undefined;
      if (typeof max !== "string" || !/^\d{1,78}$/.test(max))
        return failure("unsupported_payload_type", "not an upto Permit2 payload");
      // The payload's shape first: its nonce and owner name the ledger key.
      const problem = describePermit2PayloadProblem(inner, UPTO_PERMIT2_WITNESS);
      if (problem || !auth) return failure(Permit2Reason.UnsupportedPayloadType, problem ?? "no permit");
      const key = permit2NonceKey(network, String(auth.from), String(auth.nonce));
      const digest = keccak256(
        stringToHex([String(inner?.signature), network, charged].join("|").toLowerCase()),
      );
      // Receipts can be read by any account; the sending one is the witness's (checked in verify).
      const witness = isRecord(auth.witness) ? String(auth.witness.facilitator).toLowerCase() : "";
      const options = {
        signer:
          this.signers.find((one) => one.address.toLowerCase() === witness) ??
          (this.signers[0] as FacilitatorEvmSigner),
        network,
        receiptTimeoutMs: this.receiptTimeoutMs,
        ledger: this.ledger,
        key,
        digest,
      };
      const recorded = await this.ledger.read(key);
      // Another charge or payment on this permit: answered without taking its guard.
      if (recorded && recorded.digest !== digest) return await followRecorded(recorded, options);

      // Re-verify against the signed maximum (the settle-time amount is the charge); a recorded
      // broadcast is followed instead (it may be past its deadline by now).
      const verified = recorded ? undefined : await this.verifyMax(payload, requirements, max, context);
      if (verified && !verified.ok) return failure(verified.reason, verified.message);
      const amount = BigInt(charged);
      if (amount > BigInt(max))
        return failure(
          UptoEvmReason.SettlementExceedsAmount,
          `charge ${amount} exceeds the authorised ${max}`,
        );
      if (verified && amount === 0n)
        return { success: true, transaction: "", network, payer: verified.value.payer, amount: "0" };

      // One settle or follow at a time per permit: the answer-once step cannot run twice.
      const guard = await this.ledger.claim(key);
      if (!guard) return failure("duplicate_settlement", "this permit is already being settled");
      try {
        const again = await this.ledger.read(key);
        if (again) return await followRecorded(again, options);
        const checked = verified ?? (await this.verifyMax(payload, requirements, max, context));
        if (!checked.ok) return failure(checked.reason, checked.message);
        const { payload: upto, payTo, asset, route, signer, payer: from } = checked.value;
        if (route.kind === "approval") {
          // The sponsor broadcasts only the approval; the settle goes through the ledger below.
          const approved = await broadcastSponsoredApproval({
            signer,
            sponsor: route.signer,
            serialized: route.approval.serialized,
            diagnosis: { config: uptoPermit2ProxyConfig, token: asset, owner: from, amount },
          });
          if (!approved.ok) return failure(approved.reason, approved.message);
        }
        const call: SettlementCall = {
          to: uptoPermit2ProxyConfig.proxy,
          data: encodeUptoSettle(upto, amount, route.kind === "eip2612" ? route.permit : undefined),
          // The proxy lets only the witness's facilitator settle.
          from: signer.address,
          payer: from,
          transfers: [{ asset, from, to: payTo, value: charged }],
        };
        const response = await settleRecorded(call, { ...options, signer });
        return response.success ? { ...response, amount: charged } : uptoFailure(response);
      } finally {
        await guard.release().catch(() => undefined);
      }
    } catch (error) {
      return failure("unexpected_settle_error", describeError(error));
    }
  }

  private verifyMax(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    max: string,
    context?: FacilitatorContext,
  ) {
    return verifyUpto(
      payload,
      { ...requirements, amount: max },
      {
        signers: this.signers,
        simulate: true,
        nowSeconds: now(),
        context,
        isAssetAllowed: this.isAssetAllowed,
      },
    );
  }
}

/** Revert texts named with upto's own reasons first, then Permit2's. */
function uptoFailure(response: SettleResponse): SettleResponse {
  const reason = response.errorReason ?? "";
  if (reason === "settlement_pending" || reason === "duplicate_settlement") return response;
  const text = `${reason} ${response.errorMessage ?? ""}`;
  const mapped = permit2ReasonFromRevert(
    text,
    [
      ["AmountExceedsPermitted", UptoEvmReason.AmountExceedsPermitted],
      ["UnauthorizedFacilitator", UptoEvmReason.UnauthorizedFacilitator],
    ],
    UptoEvmReason.TransactionFailed,
  );
  return { ...response, errorReason: mapped.split(":")[0] as string };
}

function isSigner(value: unknown): value is FacilitatorEvmSigner {
  return (
    isRecord(value) &&
    typeof value.chainId === "number" &&
    typeof value.call === "function" &&
    typeof value.waitForTransactionReceipt === "function" &&
    !("request" in value)
  );
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
