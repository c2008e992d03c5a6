import type { rpc } from "@stellar/stellar-sdk";
import {
  Address,
  type FeeBumpTransaction,
  scValToNative,
  type Transaction,
  type xdr,
} from "@stellar/stellar-sdk";
import { Api } from "@stellar/stellar-sdk/rpc";
import { describeError, type SettleResponse } from "@x402kit/core";
import { ExactStellarReason as R } from "../../reasons.js";
import { contractEventsOf } from "./submitTransaction.js";

/** What a settlement must show to count. */
export interface SettlementTarget {
  network: string;
  asset: string;
  from: string;
  to: string;
  amount: string;
}

/** How {@link awaitTransaction} polls, and what it knows of the transaction it follows. */
export interface AwaitOptions {
  pollIntervalMs: number;
  timeoutMs: number;
  /** The transaction's time bound (unix seconds): not found once a ledger closed after it, it never lands. */
  maxTime?: number;
  /** The signed envelope, sent again once if the RPC does not know it (a retry after a crash). */
  rebroadcast?: Transaction | FeeBumpTransaction;
  /** Called when the transaction expired unseen (its source's sequence number may be off). */
  onExpired?: () => void;
}

/**
 * Poll `getTransaction(hash)` until it is final: `SUCCESS` with the asset's
 * `transfer(from, to, amount)` event in its meta is a settled payment; `FAILED` (or a success
 * without that event, or not found after a ledger closed past its time bound) is
 * `settle_exact_stellar_transaction_failed`; no answer within `timeoutMs` is
 * `settlement_pending` with the hash (a retry follows it).
 *
 * @example
 * ```ts
 * const response = await awaitTransaction(server, hash, target, { pollIntervalMs: 1000, timeoutMs: 20_000 });
 * ```
 */
export async function awaitTransaction(
  server: rpc.Server,
  hash: string,
  target: SettlementTarget,
  { pollIntervalMs, timeoutMs, maxTime, rebroadcast, onExpired }: AwaitOptions,
): Promise<SettleResponse> {
  const failure = (errorReason: string, errorMessage: string): SettleResponse => ({
    success: false,
    errorReason,
    errorMessage,
    transaction: hash,
    network: target.network,
    payer: target.from,
  });
  const deadline = Date.now() + timeoutMs;
  let lastError = "not found yet";
  let resend = rebroadcast;
  for (;;) {
    try {
      const found = await server.getTransaction(hash);
      if (found.status === Api.GetTransactionStatus.SUCCESS) {
        return movedTheMoney(found.resultMetaXdr, target)
          ? {
              success: true,
              transaction: hash,
              network: target.network,
              payer: target.from,
              amount: target.amount,
            }
          : failure(R.TransactionFailed, "the transaction succeeded without the required transfer event");
      }
      if (found.status === Api.GetTransactionStatus.FAILED)
        return failure(R.TransactionFailed, "the settlement transaction failed on chain");
      if (maxTime && Number(found.latestLedgerCloseTime) > maxTime) {
        onExpired?.();
        return failure(R.TransactionFailed, "the settlement transaction expired without landing");
      }
      if (resend) {
        const envelope = resend;
        resend = undefined;
        // DUPLICATE when the network still holds it, PENDING when it had been lost.
        await server.sendTransaction(envelope).catch(() => undefined);
        continue;
      }
    } catch (error) {
      lastError = describeError(error);
    }
    if (Date.now() + pollIntervalMs > deadline)
      return failure(R.SettlementPending, `no final status yet: ${lastError}`);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

function movedTheMoney(meta: xdr.TransactionMeta, target: SettlementTarget): boolean {
  return contractEventsOf(meta).some((event) => {
    try {
      const contractId = event.contractId();
      if (!contractId || Address.contract(contractId as unknown as Buffer).toString() !== target.asset)
        return false;
      const [name, from, to] = event.body().v0().topics();
      return (
        name?.switch().name === "scvSymbol" &&
        name.sym().toString() === "transfer" &&
        from !== undefined &&
        to !== undefined &&
        scValToNative(from) === target.from &&
        scValToNative(to) === target.to &&
        scValToNative(event.body().v0().data()) === BigInt(target.amount)
      );
    } catch {
      return false;
    }
  });
}
