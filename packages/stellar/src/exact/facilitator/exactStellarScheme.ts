import type { rpc } from "@stellar/stellar-sdk";
import { hash, TransactionBuilder } from "@stellar/stellar-sdk";
import type {
  PaymentPayload,
  PaymentRequirements,
  SchemeFacilitator,
  SettleResponse,
  VerifyResponse,
} from "@x402kit/core";
import { describeError, failedSettlement } from "@x402kit/core";
import { type KeyValueStore, MemoryStore } from "@x402kit/core/storage";
import { STELLAR_WILDCARD_CAIP2 } from "../../constants.js";
import { getEstimatedLedgerCloseTimeSeconds, getRpcClient, type RpcConfig } from "../../networks.js";
import { ExactStellarReason as R } from "../../reasons.js";
import type { FacilitatorStellarSigner } from "../../signer.js";
import { awaitTransaction, type SettlementTarget } from "./awaitTransaction.js";
import { checkAuthorization, payerNonceOf } from "./checkAuthorization.js";
import { checkSimulation, type SimulatedTransfer } from "./checkSimulation.js";
import {
  type CheckedTransaction,
  checkTransaction,
  isRefusal,
  type Refusal,
  timeoutSecondsOf,
} from "./checkTransaction.js";
import { StellarSettlementLedger, type StellarSettlementRecord } from "./settlementLedger.js";
import { SequenceTracker, submitTransaction } from "./submitTransaction.js";

/**
 * Options of the facilitator {@link ExactStellarScheme} (the official ones, plus durable state
 * and timing).
 *
 * @example
 * ```ts
 * new ExactStellarScheme([signer], { rpcConfig: { url }, store: new SqliteStore("x402.db"), pollIntervalMs: 500 });
 * ```
 */
export interface ExactStellarSchemeConfig {
  /** The Soroban RPC (required for pubnet and registered networks without a default). */
  rpcConfig?: RpcConfig;
  /** Advertised in `/supported`; only the sponsored flow exists. Default true. */
  areFeesSponsored?: boolean;
  /** The most a settlement may cost the facilitator, in stroops. Default 50,000. */
  maxTransactionFeeStroops?: number;
  /** Picks the settling account; default round-robin. */
  selectSigner?: (addresses: readonly string[]) => string;
  /** Pays the fee through a fee bump (the selected signer keeps only its sequence number). */
  feeBumpSigner?: FacilitatorStellarSigner;
  /** Where guards and settlement records live; share one to deduplicate across instances. Default: in memory. */
  store?: KeyValueStore;
  /** Lifetime of an authorization's in-flight guard (renewed while held). Default 30 s. */
  guardTtlMs?: number;
  /** How long settlement records answer retries. Default 24 h. */
  recordTtlMs?: number;
  /** How often `getTransaction` is polled. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How long settle waits for a final status before answering `settlement_pending`. Default 20 s. */
  settleTimeoutMs?: number;
}

type Checked = {
  checked: CheckedTransaction;
  key: string;
  digest: string;
  record?: StellarSettlementRecord;
  /** Absent when a record of this very payment exists (settle follows it, no new simulation). */
  simulated?: SimulatedTransfer;
};

/**
 * Facilitator side of scheme `exact` on Stellar. `verify` checks offline everything it can —
 * the transfer's contract, function, arguments, amount, recipient, the fee bound, that no
 * facilitator account (fee-bump account included) is the source, the payer or in an auth entry,
 * the payer's one auth entry (address credentials, no sub-invocations, expiration in ledgers,
 * its ed25519 signature) — then simulates and checks the single `transfer` event and that the
 * fee covers the simulation's resource fee. `settle` rebuilds the invocation as the
 * facilitator's own transaction with the simulation's resources (it pays the fee, within the
 * bound also under a fee bump), signs, records it in the store, then submits and waits for the
 * result. One settlement per authorization (payer + nonce), through the store: a concurrent
 * copy gets `duplicate_settlement`, a later one the replay refusal, a retry of an unanswered one
 * follows its recorded transaction.
 *
 * @example
 * ```ts
 * const facilitator = new x402Facilitator().register("stellar:testnet", new ExactStellarScheme([createEd25519Signer(secret)]));
 * ```
 */
export class ExactStellarScheme implements SchemeFacilitator {
  readonly scheme = "exact";
  readonly caipFamily = STELLAR_WILDCARD_CAIP2;
  readonly signingAddresses: ReadonlySet<string>;
  /** Every facilitator account (signers and fee-bump account): none may appear in a payment. */
  private readonly facilitatorAddresses: ReadonlySet<string>;
  readonly areFeesSponsored: boolean;
  readonly rpcConfig?: RpcConfig;
  readonly maxTransactionFeeStroops: number;
  readonly feeBumpSigner?: FacilitatorStellarSigner;
  private readonly signers: Map<string, FacilitatorStellarSigner>;
  private readonly selectSigner: (addresses: readonly string[]) => string;
  private readonly ledger: StellarSettlementLedger;
  private readonly sequences = new SequenceTracker();
  private readonly servers = new Map<string, rpc.Server>();
  private readonly pollIntervalMs: number;
  private readonly settleTimeoutMs: number;

  constructor(signers: FacilitatorStellarSigner[], config: ExactStellarSchemeConfig = {}) {
    if (!signers?.length) throw new Error("at least one Stellar signer is required");
    this.signers = new Map(signers.map((s) => [s.address, s]));
    this.signingAddresses = new Set(this.signers.keys());
    this.areFeesSponsored = config.areFeesSponsored ?? true;
    if (config.rpcConfig) this.rpcConfig = config.rpcConfig;
    this.maxTransactionFeeStroops = config.maxTransactionFeeStroops ?? 50_000;
    if (config.feeBumpSigner) this.feeBumpSigner = config.feeBumpSigner;
    this.facilitatorAddresses = new Set([
      ...this.signingAddresses,
      ...(config.feeBumpSigner ? [config.feeBumpSigner.address] : []),
    ]);
    let next = 0;
    this.selectSigner = config.selectSigner ?? ((addresses) => addresses[next++ % addresses.length]!);
    this.ledger = new StellarSettlementLedger(config.store ?? new MemoryStore(), {
      guardTtlMs: config.guardTtlMs ?? 30_000,
      recordTtlMs: config.recordTtlMs ?? 24 * 3_600_000,
    });
    this.pollIntervalMs = config.pollIntervalMs ?? 1000;
    this.settleTimeoutMs = config.settleTimeoutMs ?? 20_000;
  }

  /** `{ areFeesSponsored }`, which the server copies into the requirements' `extra`. */
  getExtra(_network: string): Record<string, unknown> | undefined {
    return { areFeesSponsored: this.areFeesSponsored };
  }

  /** Every facilitator account, the fee-bump signer included. */
  getSigners(_network: string): string[] {
    const addresses = [...this.signingAddresses];
    if (this.feeBumpSigner && !this.signingAddresses.has(this.feeBumpSigner.address))
      addresses.push(this.feeBumpSigner.address);
    return addresses;
  }

  /** Verify a payment (offline checks, then simulation). Never throws. */
  async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    try {
      const result = await this.check(payload, requirements);
      if (isRefusal(result)) return invalid(result);
      return { isValid: true, payer: result.checked.from };
    } catch (error) {
      return { isValid: false, invalidReason: R.UnexpectedVerifyError, invalidMessage: describeError(error) };
    }
  }

  /** Settle a payment, or answer the outcome of its earlier settlement. Never throws. */
  async settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    const network = typeof requirements?.network === "string" ? requirements.network : "stellar:unknown";
    let payer: string | undefined;
    const failure = (refusal: Refusal) =>
      failedSettlement(network, refusal.reason, refusal.message, refusal.payer ?? payer);
    try {
      const result = await this.check(payload, requirements);
      if (isRefusal(result)) return failure(result);
      payer = result.checked.from;
      const guard = await this.ledger.claim(result.key);
      if (!guard)
        return failure({
          reason: R.DuplicateSettlement,
          message: "this authorization is already being settled",
        });
      try {
        const target = targetOf(result.checked, requirements);
        const recorded = await this.ledger.read(result.key);
        if (recorded) return await this.resume(result, recorded, target);
        if (!result.simulated)
          return failure({ reason: R.UnexpectedSettleError, message: "the settlement record vanished" });
        const signer = this.signers.get(this.selectSigner([...this.signingAddresses]));
        if (!signer) return failure({ reason: R.SignerSelectionFailed, message: "no signer selected" });
        let record: StellarSettlementRecord | undefined;
        const sent = await submitTransaction(result.checked, result.simulated, {
          server: this.server(network),
          signer,
          ...(this.feeBumpSigner ? { feeBumpSigner: this.feeBumpSigner } : {}),
          timeoutSeconds: timeoutSecondsOf(requirements),
          sequences: this.sequences,
          // Stored before it is sent: from then on a retry (after a crash too) follows this transaction.
          recorder: {
            write: async (transaction) => {
              record = { digest: result.digest, payer: result.checked.from, ...transaction };
              await this.ledger.write(result.key, record);
            },
            discard: () => this.ledger.forget(result.key),
          },
        });
        if (isRefusal(sent)) return failure(sent);
        if (!record || record.hash !== sent.hash)
          return failure({ reason: R.UnexpectedSettleError, message: "sent an unrecorded transaction" });
        return await this.finish(result.key, record, target);
      } finally {
        await guard.release().catch(() => undefined);
      }
    } catch (error) {
      return failure({ reason: R.UnexpectedSettleError, message: describeError(error) });
    }
  }

  /** All checks of verify; a payment already submitted is refused, unless it is this very one still unanswered. */
  private async check(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
  ): Promise<Checked | Refusal> {
    const checked = checkTransaction(
      payload,
      requirements,
      this.facilitatorAddresses,
      this.maxTransactionFeeStroops,
    );
    if (isRefusal(checked)) return checked;
    const digest = paymentDigest(payload, requirements);
    const keyOf = (nonce: string) => `${requirements.network}:${requirements.asset}:${checked.from}:${nonce}`;
    // A payment already recorded is answered from its record before any time-dependent check: a
    // retry of this very payment follows its transaction even once the authorization expired.
    const recordedNonce = payerNonceOf(checked);
    if (recordedNonce !== undefined) {
      const key = keyOf(recordedNonce);
      const record = await this.ledger.read(key);
      if (record) return fromRecord(record, { checked, key, digest });
    }
    const server = this.server(requirements.network);
    const latest = await server.getLatestLedger();
    const seconds = await getEstimatedLedgerCloseTimeSeconds(requirements.network);
    const offset = Math.ceil(timeoutSecondsOf(requirements) / seconds);
    const auth = await checkAuthorization(checked, this.facilitatorAddresses, latest.sequence, offset);
    if (isRefusal(auth)) return auth;
    const key = keyOf(auth.nonce);
    const simulated = await checkSimulation(server, checked, requirements, {
      maxFeeStroops: this.maxTransactionFeeStroops,
      feeBump: this.feeBumpSigner !== undefined,
    });
    if (isRefusal(simulated)) return simulated;
    return { checked, key, digest, simulated };
  }

  private async resume(
    result: Checked,
    record: StellarSettlementRecord,
    target: SettlementTarget,
  ): Promise<SettleResponse> {
    if (record.digest !== result.digest || record.response)
      return failedSettlement(
        target.network,
        record.response && !record.response.success
          ? (record.response.errorReason ?? R.TransactionFailed)
          : R.SimulationFailed,
        `this authorization was already submitted in transaction ${record.hash}`,
        target.from,
      );
    // A retry (or another instance, after a crash): send the recorded envelope again if the
    // network does not know it, until its time bound.
    let rebroadcast: ReturnType<typeof TransactionBuilder.fromXDR> | undefined;
    try {
      if (record.envelope)
        rebroadcast = TransactionBuilder.fromXDR(record.envelope, result.checked.networkPassphrase);
    } catch {
      rebroadcast = undefined;
    }
    return this.finish(result.key, record, target, rebroadcast);
  }

  private async finish(
    key: string,
    record: StellarSettlementRecord,
    target: SettlementTarget,
    rebroadcast?: ReturnType<typeof TransactionBuilder.fromXDR>,
  ): Promise<SettleResponse> {
    const response = await awaitTransaction(this.server(target.network), record.hash, target, {
      pollIntervalMs: this.pollIntervalMs,
      timeoutMs: this.settleTimeoutMs,
      ...(record.maxTime ? { maxTime: record.maxTime } : {}),
      ...(rebroadcast ? { rebroadcast } : {}),
      // Its sequence number was never used: the account's next number must come from the network.
      onExpired: () => {
        if (record.source) this.sequences.forget(record.source);
      },
    });
    if (response.errorReason === R.SettlementPending) return response;
    try {
      await this.ledger.write(key, { ...record, response });
    } catch (error) {
      // Unrecorded, a success could be answered twice: answer "pending" so the retry records it.
      if (response.success)
        return {
          ...failedSettlement(target.network, R.SettlementPending, describeError(error), target.from),
          transaction: record.hash,
        };
    }
    return response;
  }

  private server(network: string): rpc.Server {
    let server = this.servers.get(network);
    if (!server) {
      server = getRpcClient(network, this.rpcConfig);
      this.servers.set(network, server);
    }
    return server;
  }
}

/** A payment with a record: this very one still unanswered is followed; anything else is refused. */
function fromRecord(
  record: StellarSettlementRecord,
  current: { checked: CheckedTransaction; key: string; digest: string },
): Checked | Refusal {
  if (record.digest === current.digest && !record.response) return { ...current, record };
  return {
    reason:
      record.response && !record.response.success
        ? (record.response.errorReason ?? R.TransactionFailed)
        : R.SimulationFailed,
    message: `this authorization was already submitted in transaction ${record.hash}`,
    payer: current.checked.from,
  };
}

function invalid(refusal: Refusal): VerifyResponse {
  return {
    isValid: false,
    invalidReason: refusal.reason,
    invalidMessage: refusal.message,
    ...(refusal.payer ? { payer: refusal.payer } : {}),
  };
}

function targetOf(checked: CheckedTransaction, requirements: PaymentRequirements): SettlementTarget {
  return {
    network: requirements.network,
    asset: requirements.asset,
    from: checked.from,
    to: checked.to,
    amount: checked.amount.toString(),
  };
}

/** sha256 of the client's transaction and what the requirements ask for. */
function paymentDigest(payload: PaymentPayload, requirements: PaymentRequirements): string {
  const transaction = (payload.payload as { transaction: string }).transaction;
  const parts = [
    transaction,
    requirements.network,
    requirements.asset,
    requirements.payTo,
    requirements.amount,
  ];
  return hash(Buffer.from(parts.join("|"))).toString("hex");
}
