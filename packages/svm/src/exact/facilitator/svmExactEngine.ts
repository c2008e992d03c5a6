import type { Address } from "@solana/kit";
import type { SettleResponse, VerifyResponse } from "@x402kit/core";
import { describeError, failedSettlement } from "@x402kit/core";
import { MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS } from "../../constants.js";
import { sha256 } from "../../crypto.js";
import { base64ToBytes, bytesToBase64 } from "../../encoding.js";
import { tryNormalizeNetwork } from "../../network.js";
import { ExactSvmReason as R } from "../../reasons.js";
import { decodeWireTransaction, type WireTransaction } from "../../wireTransaction.js";
import { checkTransferTransaction, type TransferLimits } from "./checkTransfer.js";
import type { SettlementCache } from "./settlementCache.js";
import { type FacilitatorSvmSigner, TransactionOnchainFailureError } from "./signer.js";

/** One payment as v1 and v2 both describe it. */
export interface SvmPayment {
  /** The client's `accepted` (v2) or payload (v1) scheme and network. */
  paidScheme: unknown;
  paidNetwork: unknown;
  scheme: unknown;
  /** `requirements.network` as the server wrote it (a v1 name in v1). */
  network: string;
  asset: unknown;
  payTo: unknown;
  amount: unknown;
  extra: Record<string, unknown> | undefined;
  transaction: unknown;
}

type Verified = {
  ok: true;
  payer: string;
  tx: WireTransaction;
  network: string;
  feePayer: Address;
  transaction: string;
};
type Refused = { ok: false; reason: string; message: string; payer?: string };

/**
 * Verification and settlement of SVM `exact`, shared by the v1 and v2 facilitator schemes:
 * the static rules, simulation, then (settle) the duplicate guard keyed on the message hash,
 * co-signing, sending and confirming.
 *
 * @example
 * ```ts
 * const engine = new SvmExactEngine(signer, new SettlementCache(store), { maxPriorityFeeMicroLamports: 5_000_000 });
 * ```
 */
export class SvmExactEngine {
  readonly limits: TransferLimits;

  constructor(
    readonly signer: FacilitatorSvmSigner,
    readonly cache: SettlementCache,
    limits: Partial<TransferLimits> = {},
  ) {
    this.limits = { maxPriorityFeeMicroLamports: MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS, ...limits };
  }

  /** Verify a payment (static rules, then simulation). Never throws. */
  async verify(payment: SvmPayment): Promise<VerifyResponse> {
    const checked = await this.check(payment).catch(
      (error): Refused => ({ ok: false, reason: R.VerificationFailed, message: describeError(error) }),
    );
    return checked.ok
      ? { isValid: true, payer: checked.payer }
      : {
          isValid: false,
          invalidReason: checked.reason,
          invalidMessage: checked.message,
          ...(checked.payer ? { payer: checked.payer } : {}),
        };
  }

  /** Settle a payment once per transaction message. Never throws. */
  async settle(payment: SvmPayment): Promise<SettleResponse> {
    const network = payment.network;
    const decoded = decode(payment.transaction);
    if (!decoded) return failedSettlement(network, R.CouldNotDecode, "the transaction could not be decoded");
    const key = bytesToBase64(sha256(decoded.messageBytes));
    try {
      const pending = await this.cache.takePending(key);
      if (pending) return await this.follow(key, pending, network, undefined);
      const token = await this.cache.claim(key);
      if (!token)
        return failedSettlement(
          network,
          R.DuplicateSettlement,
          "this transaction is already being settled or was settled",
        );
      let keepClaim = false;
      try {
        const checked = await this.check(payment);
        if (!checked.ok) return failedSettlement(network, checked.reason, checked.message, checked.payer);
        const { payer, feePayer } = checked;
        let signed: string;
        try {
          signed = await this.signer.signTransaction(checked.transaction, feePayer, checked.network);
        } catch (error) {
          return failedSettlement(network, R.SigningFailed, describeError(error), payer);
        }
        let signature: string;
        try {
          signature = await this.signer.sendTransaction(signed, checked.network);
        } catch (error) {
          return failedSettlement(network, R.TransactionFailed, describeError(error), payer);
        }
        keepClaim = true;
        const outcome = await this.follow(key, signature, network, payer, checked.network);
        keepClaim = outcome.success || outcome.errorReason === R.SettlementPending;
        return outcome;
      } finally {
        if (!keepClaim) await this.cache.release(key, token).catch(() => undefined);
      }
    } catch (error) {
      return failedSettlement(network, R.TransactionFailed, describeError(error));
    }
  }

  /** Wait for a broadcast's confirmation: success, a definite failure, or still pending (remembered). */
  private async follow(
    key: string,
    signature: string,
    network: string,
    payer: string | undefined,
    caip2 = tryNormalizeNetwork(network) ?? network,
  ): Promise<SettleResponse> {
    const withPayer = payer ? { payer } : {};
    try {
      await this.signer.confirmTransaction(signature, caip2);
      return { success: true, transaction: signature, network, ...withPayer };
    } catch (error) {
      if (error instanceof TransactionOnchainFailureError)
        return {
          ...failedSettlement(network, R.TransactionFailed, describeError(error), payer),
          transaction: signature,
        };
      try {
        await this.cache.markPending(key, signature);
      } catch (storeError) {
        return {
          ...failedSettlement(network, R.TransactionFailed, describeError(storeError), payer),
          transaction: signature,
        };
      }
      return {
        ...failedSettlement(network, R.SettlementPending, describeError(error), payer),
        transaction: signature,
      };
    }
  }

  private async check(payment: SvmPayment): Promise<Verified | Refused> {
    const refuse = (reason: string, message: string, payer?: string): Refused => ({
      ok: false,
      reason,
      message,
      ...(payer ? { payer } : {}),
    });
    if (payment.paidScheme !== "exact" || payment.scheme !== "exact")
      return refuse(R.UnsupportedScheme, "scheme must be exact");
    if (payment.paidNetwork !== payment.network)
      return refuse(R.NetworkMismatch, "the payment is for another network");
    const network = tryNormalizeNetwork(payment.network);
    if (!network) return refuse(R.NetworkMismatch, `"${payment.network}" is not a Solana network`);
    const feePayer = payment.extra?.feePayer;
    if (typeof feePayer !== "string" || feePayer === "")
      return refuse(R.MissingFeePayer, "extra.feePayer is required");
    if (!this.signer.getAddresses().includes(feePayer as Address))
      return refuse(R.FeePayerNotManaged, `fee payer ${feePayer} is not one of this facilitator's`);
    const tx = decode(payment.transaction);
    if (!tx) return refuse(R.CouldNotDecode, "the transaction could not be decoded");
    if (
      typeof payment.asset !== "string" ||
      typeof payment.payTo !== "string" ||
      typeof payment.amount !== "string"
    )
      return refuse(R.InvalidTransaction, "requirements need asset, payTo and amount");
    const rules = await checkTransferTransaction(
      tx,
      {
        asset: payment.asset,
        payTo: payment.payTo,
        amount: payment.amount,
        feePayer,
        memo: payment.extra?.memo,
      },
      this.signer.getAddresses(),
      this.limits,
    );
    if (!rules.ok) return rules;
    const transaction = payment.transaction as string;
    try {
      await this.signer.simulateTransaction(transaction, network, {
        sigVerify: false,
        replaceRecentBlockhash: false,
        commitment: "confirmed",
        encoding: "base64",
      });
    } catch (error) {
      return refuse(R.SimulationFailed, describeError(error), rules.payer);
    }
    return { ok: true, payer: rules.payer, tx, network, feePayer: feePayer as Address, transaction };
  }
}

function decode(transaction: unknown): WireTransaction | undefined {
  if (typeof transaction !== "string" || transaction.length === 0) return undefined;
  try {
    return decodeWireTransaction(base64ToBytes(transaction));
  } catch {
    return undefined;
  }
}
