import type { rpc } from "@stellar/stellar-sdk";
import { Address, scValToNative, xdr } from "@stellar/stellar-sdk";
import { Api } from "@stellar/stellar-sdk/rpc";
import { describeError } from "@x402kit/core";
import { ExactStellarReason as R } from "../../reasons.js";
import type { CheckedTransaction, Refusal } from "./checkTransaction.js";
import { type SettlementFees, settlementFees } from "./settlementFees.js";

/** What settlement takes from the facilitator's own simulation. */
export interface SimulatedTransfer {
  /** The simulation's Soroban resources (footprint, limits, resource fee): what settle declares. */
  sorobanData: xdr.SorobanTransactionData;
  fees: SettlementFees;
}

/**
 * Simulate the client's transaction and check what it would do (steps 14–17): the simulation
 * succeeds, the client's fee covers its resource fee and an inclusion fee (and a fee bump
 * stays within the bound), and its contract events are exactly one SEP-41
 * `transfer(from, payTo, amount)` emitted by the asset — nothing else moves. The resources the
 * client declared are not trusted: settle declares the simulation's, so a transaction with a
 * short footprint, too few instructions or a low resource fee cannot fail on chain after the
 * facilitator paid its fee.
 */
export async function checkSimulation(
  server: rpc.Server,
  checked: CheckedTransaction,
  requirements: { asset: string; payTo: string },
  bound: { maxFeeStroops: number; feeBump: boolean },
): Promise<Refusal | SimulatedTransfer> {
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
  const sorobanData = simulation.transactionData.build();
  const declared = BigInt(sorobanData.resourceFee().toString());
  const minimum = BigInt(simulation.minResourceFee);
  const resourceFee = declared > minimum ? declared : minimum;
  sorobanData.resourceFee(xdr.Int64.fromString(resourceFee.toString()));
  const fees = settlementFees({
    clientFee: checked.fee,
    resourceFee,
    maxFeeStroops: BigInt(bound.maxFeeStroops),
    feeBump: bound.feeBump,
  });
  if ("reason" in fees) return { ...fees, payer: from };
  const events = checkTransferEvents(
    simulation.events,
    from,
    requirements.payTo,
    checked.amount,
    requirements.asset,
  );
  return events ?? { sorobanData, fees };
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
