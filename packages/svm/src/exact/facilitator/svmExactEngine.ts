import type { Address } from "@solana/kit";
import type { SettleResponse, VerifyResponse } from "@x402kit/core";
import { describeError, failedSettlement } from "@x402kit/core";
import { sha256 } from "../../crypto.js";
import { base64ToBytes, bytesToBase58, bytesToBase64 } from "../../encoding.js";
import { isJsonRpcRejection } from "../../jsonRpc.js";
import { tryNormalizeNetwork, validateSvmAddress } from "../../network.js";
import { ExactSvmReason as R } from "../../reasons.js";
import { decodeWireTransaction, type WireTransaction } from "../../wireTransaction.js";
import { checkTransferTransaction, resolveTransferLimits, type TransferLimits } from "./checkTransfer.js";
import type { SettlementCache, SettlementHold } from "./settlementCache.js";
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
 * co-signing, recording the signature, sending and confirming.
 *
 * @example
 * ```ts
 * const engine = new SvmExactEngine(signer, new SettlementCache(store), { maxComputeUnits: 50_000 });
 * ```
 */
export class SvmExactEngine {
  readonly limits: TransferLimits;

  /** @throws {X402Error} `invalid_facilitator_config` for a limit that is not a fitting integer. */
  constructor(
    readonly signer: FacilitatorSvmSigner,
    readonly cache: SettlementCache,
    limits: Partial<TransferLimits> = {},
  ) {
    this.limits = resolveTransferLimits(limits);
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
    const message = bytesToBase64(sha256(decoded.messageBytes));
    try {
      const hold = await this.cache.claim(message);
      if (hold) return await this.settleClaimed(hold, payment);
      // Already held: only a broadcast left without an answer may be followed, for the same terms.
      const taken = await this.cache.takeOver(message, requirementsDigest(payment));
      if (taken && taken !== "mismatch")
        return await this.follow(taken.hold, taken.signature, network, taken.payer);
      return failedSettlement(
        network,
        R.DuplicateSettlement,
        taken === "mismatch"
          ? "this transaction was broadcast for other payment requirements"
          : "this transaction is already being settled or was settled",
      );
    } catch (error) {
      return failedSettlement(network, R.TransactionFailed, describeError(error));
    }
  }

  private async settleClaimed(claim: SettlementHold, payment: SvmPayment): Promise<SettleResponse> {
    const network = payment.network;
    let unsent: SettlementHold | undefined = claim;
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
      // The signature is the fee payer's (slot 0): known before sending, recorded before sending.
      const signature = bytesToBase58(
        decodeWireTransaction(base64ToBytes(signed)).signatures[0] as Uint8Array,
      );
      const sending = await this.cache.markSending(claim, {
        signature,
        digest: requirementsDigest(payment),
        payer,
      });
      if (!sending)
        return failedSettlement(
          network,
          R.TransactionFailed,
          "the claim on this transaction expired before sending; nothing was sent",
          payer,
        );
      unsent = undefined;
      try {
        await this.signer.sendTransaction(signed, checked.network);
      } catch (error) {
        if (isJsonRpcRejection(error)) {
          // The node refused it: nothing was forwarded, the same transaction may be tried again.
          await this.cache.release(sending).catch(() => undefined);
          return failedSettlement(network, R.TransactionFailed, describeError(error), payer);
        }
        // Timeout or lost answer: the node may have taken it; the signature tells.
      }
      return await this.follow(sending, signature, network, payer, checked.network);
    } finally {
      if (unsent) await this.cache.release(unsent).catch(() => undefined);
    }
  }

  /**
   * Wait for a broadcast's confirmation, within the hold's deadline: success (finalised in the
   * store), a definite failure, or still pending (a retry may follow it).
   */
  private async follow(
    hold: SettlementHold,
    signature: string,
    network: string,
    payer: string,
    caip2 = tryNormalizeNetwork(network) ?? network,
  ): Promise<SettleResponse> {
    const margin = Math.min(5_000, this.cache.ttlMs / 4);
    const budget = this.cache.deadline(hold) - Date.now() - margin;
    const failed = (reason: string, message: string): SettleResponse => ({
      ...failedSettlement(network, reason, message, payer),
      transaction: signature,
    });
    try {
      await withTimeout(this.signer.confirmTransaction(signature, caip2), budget);
    } catch (error) {
      if (error instanceof TransactionOnchainFailureError) {
        await this.cache.release(hold).catch(() => undefined);
        return failed(R.TransactionFailed, describeError(error));
      }
      await this.cache.markPending(hold).catch(() => false);
      return failed(R.SettlementPending, describeError(error));
    }
    let finalised: boolean;
    try {
      finalised = await this.cache.finalise(hold, signature);
    } catch (error) {
      return failed(R.SettlementPending, `confirmed, but not recorded: ${describeError(error)}`);
    }
    // Only the current holder answers success: a retry took this broadcast over meanwhile.
    if (!finalised)
      return failed(R.DuplicateSettlement, "another settlement of this transaction answers for it");
    return { success: true, transaction: signature, network, payer };
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
    if (!validateSvmAddress(payment.asset))
      return refuse(R.MintMismatch, `the required asset ${payment.asset} is not a Solana address`);
    if (!validateSvmAddress(payment.payTo))
      return refuse(R.RecipientMismatch, `the required payTo ${payment.payTo} is not a Solana address`);
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
      // A node refuses to simulate a message it already took: still valid while its outcome is
      // awaited, so the retry of a pending settlement reaches settle and follows the signature.
      const message = describeError(error);
      const awaited =
        message.includes("AlreadyProcessed") &&
        (await this.cache
          .isAwaitingOutcome(bytesToBase64(sha256(tx.messageBytes)), requirementsDigest(payment))
          .catch(() => false));
      if (!awaited) return refuse(R.SimulationFailed, message, rules.payer);
    }
    return { ok: true, payer: rules.payer, tx, network, feePayer: feePayer as Address, transaction };
  }
}

/** What a broadcast was settled for: a retry following it must ask for the same. */
function requirementsDigest(payment: SvmPayment): string {
  const amount =
    typeof payment.amount === "string" && /^\d+$/.test(payment.amount)
      ? BigInt(payment.amount)
      : payment.amount;
  const terms = [
    tryNormalizeNetwork(payment.network) ?? payment.network,
    payment.asset,
    payment.payTo,
    String(amount),
    payment.extra?.feePayer,
    payment.extra?.memo,
  ];
  return bytesToBase64(sha256(new TextEncoder().encode(JSON.stringify(terms))));
}

/** `promise`, or a rejection once `ms` have passed (the timer never outlives it). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`not confirmed within the settlement's ${Math.max(0, Math.round(ms))} ms`)),
      Math.max(0, ms),
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function decode(transaction: unknown): WireTransaction | undefined {
  if (typeof transaction !== "string" || transaction.length === 0) return undefined;
  try {
    return decodeWireTransaction(base64ToBytes(transaction));
  } catch {
    return undefined;
  }
}
