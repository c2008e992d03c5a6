import { recordPayer, recordTransfers } from "./settlementFlow.js";
import type { SettlementLedger, SettlementRecord } from "./settlementLedger.js";
import { judgeSettlementReceipt } from "./settleTransfer.js";
import type { FacilitatorEvmSigner } from "./signer.js";
import { canRebroadcast, GONE_CONFIRM_MS, goneTwice, transactionFate } from "./transactionFate.js";

/**
 * Options of {@link SettlementReconciler}.
 *
 * @example
 * ```ts
 * const options: SettlementReconcilerOptions = { network: "eip155:8453", intervalMs: 15_000, rebroadcastAfterMs: 30_000 };
 * ```
 */
export interface SettlementReconcilerOptions {
  /** The network whose records this reconciler checks (`eip155:<chainId>`). */
  network: string;
  /** Pause between runs of {@link SettlementReconciler.start}. Default 15 000 ms. */
  intervalMs?: number;
  /**
   * A recorded transaction the node does not know (not mined, not in its mempool) this long
   * after signing counts as dropped: its signed bytes are broadcast again. Default 30 000 ms.
   */
  rebroadcastAfterMs?: number;
  /**
   * A dropped transaction whose nonce another one took is forgotten only when seen so twice,
   * this long apart, with its authorization unspent on chain. Default 30 000 ms.
   */
  goneConfirmMs?: number;
  /** Told of failures of a run (the store or the RPC); the next run tries again. */
  onError?: (error: unknown) => void;
  /** Told of each run that found something to do (a non-empty report). */
  onReport?: (report: ReconcileReport) => void;
}

/**
 * What one {@link SettlementReconciler.reconcileOnce} run did, by record.
 *
 * @example
 * ```ts
 * const report: ReconcileReport = { checked: 3, settled: 1, failed: 0, pending: 1, rebroadcast: 1, forgotten: 0, busy: 0, repaired: 0, stale: 0 };
 * ```
 */
export interface ReconcileReport {
  /** Pending records of this network looked at. */
  checked: number;
  /** Mined and paid: outcome recorded (a retried settle answers it). */
  settled: number;
  /** Mined but reverted or without the expected Transfer: outcome recorded. */
  failed: number;
  /** Still in the mempool, or too recent to call dropped. */
  pending: number;
  /** Dropped and broadcast again with the same signed bytes (same nonce, same hash). */
  rebroadcast: number;
  /** Dropped and its nonce used by another transaction: it can never be mined, so the record is removed and a retried settle sends afresh. */
  forgotten: number;
  /** Held by a settle in progress; left to it. */
  busy: number;
  /** Nonce gaps of the signer's accounts filled (dropped unrecorded sends broadcast again, or re-synced). */
  repaired: number;
  /** Pending records signed longer ago than 10 × `rebroadcastAfterMs` (worth a look). */
  stale: number;
}

/**
 * Settles the fate of settlements whose receipt did not come in time. Each run lists the
 * ledger's records without an outcome, takes each one's guard (so it never races a settle of
 * the same authorization) and asks the chain:
 *
 * - mined → the outcome (paid, reverted, wrong Transfer) is recorded as not yet answered; the
 *   next settle of that payment answers it, once;
 * - known to the node → still pending;
 * - unknown for longer than `rebroadcastAfterMs` → dropped: when the account's mined nonce
 *   passed the record's nonce, another transaction took that nonce and this one can never be
 *   mined, so the record is removed (a retry sends afresh; the money never moved); otherwise
 *   the very same signed bytes are broadcast again. A payment is thus never sent as two
 *   transactions that could both be mined.
 *
 * @example
 * ```ts
 * const reconciler = new SettlementReconciler(ledger, signer, { network: "eip155:8453" });
 * reconciler.start();
 * const report = await reconciler.reconcileOnce();
 * await reconciler.stop();
 * ```
 */
export class SettlementReconciler {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  /** Set by {@link stop}: a run in progress ends after the record it is on. */
  private stopping = false;

  constructor(
    private readonly ledger: SettlementLedger,
    private readonly signer: FacilitatorEvmSigner,
    private readonly options: SettlementReconcilerOptions,
  ) {}

  /** Check every pending record of the network once. Rejects only when the store cannot be listed. */
  async reconcileOnce(): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      checked: 0,
      settled: 0,
      failed: 0,
      pending: 0,
      rebroadcast: 0,
      forgotten: 0,
      busy: 0,
      repaired: 0,
      stale: 0,
    };
    // First the accounts' nonce gaps (a dropped send no record holds stalls every later one).
    report.repaired = await Promise.resolve(this.signer.repairNonces?.() ?? 0).catch((error: unknown) => {
      this.options.onError?.(error);
      return 0;
    });
    const network = this.options.network.toLowerCase();
    const staleAfterMs = 10 * (this.options.rebroadcastAfterMs ?? 30_000);
    // The highest recorded nonce of each account still pending: a node pending count at or
    // below it is a gap (e.g. a dropped unrecorded send before it, after a restart).
    const signedUpTo = new Map<`0x${string}`, number>();
    for (const { key, record } of await this.ledger.listPending()) {
      if (this.stopping) break;
      const ours = record.network ? record.network.toLowerCase() === network : key.startsWith(`${network}:`);
      if (!ours) continue;
      report.checked++;
      const guard = await this.ledger.claim(key);
      if (!guard) {
        report.busy++;
        continue;
      }
      try {
        const current = await this.ledger.read(key);
        if (!current || current.response || current.hash !== record.hash) continue;
        const outcome = await this.reconcile(key, current);
        report[outcome]++;
        if (outcome === "pending" && current.from && current.nonce !== undefined)
          signedUpTo.set(current.from, Math.max(signedUpTo.get(current.from) ?? 0, current.nonce));
        if (outcome === "pending" && Date.now() - (current.sentAt ?? Date.now()) > staleAfterMs)
          report.stale++;
      } catch (error) {
        report.pending++;
        this.options.onError?.(error);
      } finally {
        await guard.release().catch(() => undefined);
      }
    }
    for (const [from, nonce] of signedUpTo)
      report.repaired += await Promise.resolve(this.signer.repairNonces?.({ from, nonce }) ?? 0).catch(
        (error: unknown) => {
          this.options.onError?.(error);
          return 0;
        },
      );
    return report;
  }

  /** Run {@link reconcileOnce} every `intervalMs` (runs never overlap; the timer does not keep the process alive). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    const schedule = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.reconcileOnce()
          .then((report) => {
            if (isEventful(report)) this.options.onReport?.(report);
          })
          .catch((error) => this.options.onError?.(error))
          .finally(schedule);
      }, this.options.intervalMs ?? 15_000);
      (this.timer as { unref?: () => void }).unref?.();
    };
    schedule();
  }

  /** Stop the timer and wait for a run in progress (it stops after the record it is on). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async reconcile(
    key: string,
    record: SettlementRecord,
  ): Promise<"settled" | "failed" | "pending" | "rebroadcast" | "forgotten"> {
    const { signer } = this;
    const fate = await transactionFate(signer, record, key);
    if (fate?.state === "mined") {
      const response = judgeSettlementReceipt(
        { payer: recordPayer(record) ?? "", transfers: recordTransfers(record) },
        record.hash,
        fate.receipt,
        record.network ?? this.options.network,
      );
      await this.ledger.write(key, { ...record, response, answered: false });
      return response.success ? "settled" : "failed";
    }
    // Spent on chain although no receipt was found (a lagging node): the money moved; keep it.
    if (!fate || fate.state === "known" || fate.state === "spent") return "pending";
    if (Date.now() - (record.sentAt ?? 0) < (this.options.rebroadcastAfterMs ?? 30_000)) return "pending";
    if (fate.state === "gone") {
      if (!(await goneTwice(this.ledger, key, record, this.options.goneConfirmMs ?? GONE_CONFIRM_MS)))
        return "pending";
      await this.ledger.forget(key);
      return "forgotten";
    }
    if (!canRebroadcast(signer, record)) return "pending";
    await signer.rebroadcast?.(record.serialized);
    return "rebroadcast";
  }
}

/**
 * True when a run did something worth a log line (stale pending records included).
 *
 * @example
 * ```ts
 * if (isEventful(report)) logger.info(report, "reconciled EVM settlements");
 * ```
 */
export function isEventful(report: ReconcileReport): boolean {
  return (
    report.settled + report.failed + report.rebroadcast + report.forgotten + report.repaired + report.stale >
    0
  );
}
