import type { rpc } from "@stellar/stellar-sdk";
import { Address, scValToNative, xdr } from "@stellar/stellar-sdk";
import { Api } from "@stellar/stellar-sdk/rpc";
import { describeError } from "@x402kit/core";
import { ExactStellarReason as R } from "../../reasons.js";
import type { CheckedTransaction, Refusal } from "./checkTransaction.js";

/**
 * Simulate the client's transaction and check what it would do (steps 14–17): the simulation
 * succeeds, the fee covers its minimum resource fee, and its contract events are exactly one
 * SEP-41 `transfer(from, payTo, amount)` emitted by the asset — nothing else moves.
 */
export async function checkSimulation(
  server: rpc.Server,
  checked: CheckedTransaction,
  asset: string,
  payTo: string,
): Promise<Refusal | undefined> {
  const { from } = checked;
  let simulation: Api.SimulateTransactionResponse;
  try {
    simulation = await server.simulateTransaction(checked.transaction);
  } catch (error) {
    return refuse(R.SimulationFailed, `simulation unavailable: ${describeError(error)}`, from);
  }
  if (!Api.isSimulationSuccess(simulation))
    return refuse(
      R.SimulationFailed,
      `the simulation failed: ${"error" in simulation ? simulation.error : "restore needed"}`,
      from,
    );
  if (checked.fee < BigInt(simulation.minResourceFee))
    return refuse(
      R.FeeBelowMinimum,
      `fee ${checked.fee} is below the minimum resource fee ${simulation.minResourceFee}`,
      from,
    );
  return checkTransferEvents(simulation.events, from, payTo, checked.amount, asset);
}

/** Exactly one contract event, a `transfer(from, to, amount)` of the asset (CAP-46 / SEP-41 shape). */
export function checkTransferEvents(
  events: readonly xdr.DiagnosticEvent[],
  from: string,
  to: string,
  amount: bigint,
  asset: string,
): Refusal | undefined {
  const transfers: Array<{ from: unknown; to: unknown; amount: unknown }> = [];
  for (const diagnostic of events) {
    try {
      const event = diagnostic.event();
      if (event.type() !== xdr.ContractEventType.contract()) continue;
      const body = event.body().v0();
      const topics = body.topics();
      if (
        topics.length < 3 ||
        topics[0]!.switch().name !== "scvSymbol" ||
        topics[0]!.sym().toString() !== "transfer"
      )
        return refuse(R.EventNotTransfer, "the simulation emits an event other than transfer", from);
      const contractId = event.contractId();
      if (!contractId) return refuse(R.EventMissingContractId, "a transfer event has no contract id", from);
      if (Address.contract(contractId as unknown as Buffer).toString() !== asset)
        return refuse(R.EventWrongAsset, "a transfer event comes from another contract", from);
      transfers.push({
        from: scValToNative(topics[1]!),
        to: scValToNative(topics[2]!),
        amount: scValToNative(body.data()),
      });
    } catch (error) {
      return refuse(R.UnexpectedVerifyError, `unreadable simulation event: ${describeError(error)}`, from);
    }
  }
  if (transfers.length === 0) return refuse(R.NoTransferEvents, "the simulation moves no tokens", from);
  if (transfers.length > 1)
    return refuse(R.MultipleTransfers, "the simulation moves tokens more than once", from);
  const [transfer] = transfers as [(typeof transfers)[number]];
  if (transfer.from !== from) return refuse(R.EventWrongFrom, "the transfer event has another sender", from);
  if (transfer.to !== to) return refuse(R.EventWrongTo, "the transfer event has another recipient", from);
  if (transfer.amount !== amount)
    return refuse(R.EventWrongAmount, "the transfer event has another amount", from);
  return undefined;
}

function refuse(reason: string, message: string, payer?: string): Refusal {
  return { reason, message, ...(payer ? { payer } : {}) };
}
