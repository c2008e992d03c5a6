import type {
  PaymentPayload,
  PaymentRequirements,
  SchemeFacilitator,
  SettleResponse,
  VerifyResponse,
} from "@x402kit/core";
import { describeError, failedSettlement, invalidVerification } from "@x402kit/core";
import { type KeyValueStore, MemoryStore } from "@x402kit/core/storage";
import { MAX_GAS_AMOUNT, MAX_GAS_UNIT_PRICE } from "../../constants.js";
import { type AptosPayment, deserializeAptosPayment, isExactAptosPayload } from "../../payload.js";
import { ExactAptosReason as R } from "../../reasons.js";
import { type CheckedAptosPayment, type CheckResult, checkAptosPayment } from "./checkPayment.js";
import { followRecorded, submitRecorded } from "./settlementFlow.js";
import {
  AptosSettlementLedger,
  type AptosSettlementRecord,
  aptosPaymentDigest,
  settlementKey,
} from "./settlementLedger.js";
import { AptosSimulationError, type FacilitatorAptosSigner } from "./signer.js";

/**
 * Options of the facilitator {@link ExactAptosScheme}.
 *
 * @example
 * ```ts
 * new ExactAptosScheme(signer, { maxGasUnitPrice: 150n, store: new SqliteStore("x402.db") });
 * ```
 */
export interface ExactAptosSchemeConfig {
  /** Pay the gas of payments (advertise `extra.feePayer`). Default true. */
  sponsorTransactions?: boolean;
  /** Bound on a sponsored transaction's `max_gas_amount`. Default 500 000. */
  maxGasAmount?: bigint | number;
  /** Bound on a sponsored transaction's `gas_unit_price` (octas). Default 150. */
  maxGasUnitPrice?: bigint | number;
  /** Bound on a sponsored transaction's fee, `max_gas_amount × gas_unit_price` (octas). Default: the product of the two bounds. */
  maxFeeOctas?: bigint | number;
  /** Where in-flight guards and settlement records live; share one between instances. Default: in memory. */
  store?: KeyValueStore;
  /** Lifetime of a settlement's in-flight guard (renewed while held). Default 30 s. */
  guardTtlMs?: number;
  /** How long settlement records answer retries. Default 24 h. */
  recordTtlMs?: number;
  /**
   * Seconds after a transaction's expiration before one the node still does not show counts as
   * never committed (a final failure; covers clock skew). Until then it is `settlement_pending`. Default 60.
   */
  expirationMarginSeconds?: number;
}

/**
 * Facilitator side of scheme `exact` on Aptos. Verify runs every offline check first (see
 * {@link checkAptosPayment}: the sender's signature is verified before anything is co-signed),
 * then reads the sender's balance and simulates on the node. Settle co-signs as the fee payer,
 * records the transaction hash, submits and waits for it by hash. Only a committed failure, or
 * a transaction still unseen past its expiration, is a final failure; anything else answers
 * `settlement_pending` with the hash, and a retry follows it.
 *
 * Each payment (network + sender + sequence number) is settled once: a concurrent copy gets
 * `duplicate_settlement` from the in-flight guard, a later copy from the settlement record,
 * also on another instance sharing the {@link ExactAptosSchemeConfig.store}.
 *
 * @example
 * ```ts
 * const facilitator = new x402Facilitator().register("aptos:2", new ExactAptosScheme(toFacilitatorAptosSigner(feePayer)));
 * ```
 */
export class ExactAptosScheme implements SchemeFacilitator {
  readonly scheme = "exact";
  readonly caipFamily = "aptos:*";
  private readonly sponsor: boolean;
  private readonly maxGasAmount: bigint;
  private readonly maxGasUnitPrice: bigint;
  private readonly maxFee: bigint | undefined;
  private readonly ledger: AptosSettlementLedger;
  private readonly expirationMargin: number;
  private nextFeePayer = 0;

  /** `config` may be the official second argument, `sponsorTransactions`. */
  constructor(
    private readonly signer: FacilitatorAptosSigner,
    config: ExactAptosSchemeConfig | boolean = {},
  ) {
    const options = typeof config === "boolean" ? { sponsorTransactions: config } : config;
    this.sponsor = options.sponsorTransactions ?? true;
    this.maxGasAmount = BigInt(options.maxGasAmount ?? MAX_GAS_AMOUNT);
    this.maxGasUnitPrice = BigInt(options.maxGasUnitPrice ?? MAX_GAS_UNIT_PRICE);
    this.maxFee = options.maxFeeOctas === undefined ? undefined : BigInt(options.maxFeeOctas);
    this.expirationMargin = options.expirationMarginSeconds ?? 60;
    this.ledger = new AptosSettlementLedger(options.store ?? new MemoryStore(), {
      guardTtlMs: options.guardTtlMs ?? 30_000,
      recordTtlMs: options.recordTtlMs ?? 24 * 3_600_000,
    });
  }

  /** `{ feePayer }` (rotating over the signer's accounts) when sponsoring. */
  getExtra(_network: string): Record<string, unknown> | undefined {
    if (!this.sponsor) return undefined;
    const addresses = this.signer.getAddresses();
    const feePayer = addresses[this.nextFeePayer++ % addresses.length];
    return { feePayer };
  }

  getSigners(_network: string): string[] {
    return [...this.signer.getAddresses()];
  }

  /**
   * Verify a payment (offline checks, balance, simulation). Never throws. A payment that was
   * submitted but whose outcome nobody was told (a timed-out wait, a crash) is valid — even if it
   * has expired since — so its retry reaches `settle`, which follows that transaction.
   */
  async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    const result = this.check(payload, requirements);
    try {
      const submitted = await this.submittedRecord(payload, requirements, result);
      if (submitted?.response === undefined && submitted?.sameDigest)
        return { isValid: true, payer: submitted.record.payer };
      if (!result.ok) return invalidVerification(result.reason, result.message, result.payer);
      const { checked } = result;
      if (submitted && !afterFinalFailure(submitted.record, submitted.sameDigest))
        return invalidVerification(
          R.DuplicateSettlement,
          `already settled by ${submitted.record.hash}`,
          checked.payer,
        );
      const problem = await this.checkChain(checked, requirements);
      return problem
        ? invalidVerification(problem.reason, problem.message, checked.payer)
        : { isValid: true, payer: checked.payer };
    } catch (error) {
      const message = describeError(error);
      return invalidVerification(
        `${R.VerificationError}: ${message}`,
        message,
        result.ok ? result.checked.payer : result.payer,
      );
    }
  }

  /** Settle a payment, or answer the outcome of its earlier settlement. Never throws. */
  async settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    const network = typeof requirements?.network === "string" ? requirements.network : "";
    const result = this.check(payload, requirements);
    const payment = result.ok ? result.checked.payment : decodeQuietly(payload);
    const payer = result.ok ? result.checked.payer : result.payer;
    const failure = (reason: string, message: string) => failedSettlement(network, reason, message, payer);
    // Set whenever the checks failed; a passing check implies a decoded payment and a network.
    const refusal = result.ok ? undefined : failure(result.reason, result.message);
    if (!payment || typeof requirements?.network !== "string") return refusal as SettleResponse;
    const key = settlementKey(network, payment);
    const digest = aptosPaymentDigest(payment, requirements);
    try {
      // A failed check ends here unless this exact payment was already submitted (then follow it).
      if (refusal && (await this.ledger.read(key))?.digest !== digest) return refusal;
      const guard = await this.ledger.claim(key);
      if (!guard) return failure(R.DuplicateSettlement, "this transaction is already being settled");
      try {
        const { signer, ledger, expirationMargin: expirationMarginSeconds } = this;
        const settlement = { signer, ledger, key, digest, network, expirationMarginSeconds };
        const recorded = await this.ledger.read(key);
        if (recorded && !afterFinalFailure(recorded, recorded.digest === digest)) {
          // One success answer per payment: a later copy must not be told "settled" too.
          if (recorded.digest !== digest || recorded.response?.success)
            return failure(R.DuplicateSettlement, `already settled by transaction ${recorded.hash}`);
          if (recorded.response) return recorded.response;
          return await followRecorded(recorded, payment, settlement);
        }
        if (!result.ok) return refusal as SettleResponse;
        const { checked } = result;
        const problem = await this.checkChain(checked, requirements);
        if (problem) return failure(problem.reason, problem.message);
        return await submitRecorded(checked.payment, checked.payer, settlement);
      } finally {
        await guard.release().catch(() => undefined);
      }
    } catch (error) {
      return failure(R.UnexpectedSettleError, describeError(error));
    }
  }

  /** The ledger's record of this payment, if any, and whether it is this exact payment. */
  private async submittedRecord(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    result: CheckResult,
  ): Promise<{ record: AptosSettlementRecord; sameDigest: boolean; response?: SettleResponse } | undefined> {
    const payment = result.ok ? result.checked.payment : decodeQuietly(payload);
    if (!payment || typeof requirements?.network !== "string") return undefined;
    const record = await this.ledger.read(settlementKey(requirements.network, payment));
    if (!record) return undefined;
    return {
      record,
      sameDigest: record.digest === aptosPaymentDigest(payment, requirements),
      ...(record.response ? { response: record.response } : {}),
    };
  }

  /** The offline checks; whatever they throw on hostile input is a verification error, never a crash. */
  private check(payload: PaymentPayload, requirements: PaymentRequirements): CheckResult {
    try {
      return checkAptosPayment(payload, requirements, {
        feePayers: this.sponsor ? this.signer.getAddresses() : [],
        nowSeconds: Math.floor(Date.now() / 1000),
        maxGasAmount: this.maxGasAmount,
        maxGasUnitPrice: this.maxGasUnitPrice,
        ...(this.maxFee === undefined ? {} : { maxFee: this.maxFee }),
      });
    } catch (error) {
      const message = describeError(error);
      return { ok: false, reason: `${R.VerificationError}: ${message}`, message };
    }
  }

  /** Balance (when the signer reads it), then simulation with the sender's real public key. */
  private async checkChain(
    checked: CheckedAptosPayment,
    requirements: PaymentRequirements,
  ): Promise<{ reason: string; message: string } | undefined> {
    const { network, asset, amount } = requirements;
    if (this.signer.getBalance) {
      const balance = await this.signer.getBalance(checked.payer, asset, network);
      if (balance < BigInt(amount))
        return { reason: R.InsufficientBalance, message: `balance ${balance} is below ${amount}` };
    }
    try {
      await this.signer.simulateTransaction(checked.payment.transaction, network, checked.publicKey);
    } catch (error) {
      const status = error instanceof AptosSimulationError ? error.vmStatus : describeError(error);
      return { reason: `${R.SimulationFailed}: ${status}`, message: status };
    }
    return undefined;
  }
}

/**
 * A record whose final answer is a failure, for another payment with the same sender and
 * sequence number: that number may still be free (the first was never committed) — and if it
 * is spent, simulation refuses the newcomer — so the newcomer is judged afresh.
 */
function afterFinalFailure(record: AptosSettlementRecord, sameDigest: boolean): boolean {
  return !sameDigest && record.response !== undefined && !record.response.success;
}

function decodeQuietly(payload: PaymentPayload): AptosPayment | undefined {
  try {
    return isExactAptosPayload(payload?.payload)
      ? deserializeAptosPayment(payload.payload.transaction)
      : undefined;
  } catch {
    return undefined;
  }
}
