import { Address, type Transaction, xdr } from "@stellar/stellar-sdk";
import { Api, assembleTransaction } from "@stellar/stellar-sdk/rpc";

/**
 * Throw unless a simulation succeeded (an archived-state `RESTORE` answer counts as a failure).
 *
 * @throws {Error} naming the simulation error.
 * @example
 * ```ts
 * handleSimulationResult(await server.simulateTransaction(tx));
 * ```
 */
export function handleSimulationResult(simulation?: Api.SimulateTransactionResponse): void {
  if (!simulation) throw new Error("no simulation result");
  if (Api.isSimulationRestore(simulation))
    throw new Error("the simulation needs archived state restored first (RESTORE)");
  if (Api.isSimulationError(simulation))
    throw new Error(`the simulation failed${simulation.error ? `: ${simulation.error}` : ""}`);
}

/** Who signed the auth entries of a transaction, and who still has to. */
export type ContractSigners = { alreadySigned: string[]; pendingSignature: string[] };

/** Input of {@link gatherAuthEntrySignatureStatus}. */
export type GatherAuthEntrySignatureStatusInput = {
  transaction: Transaction;
  simulationResponse?: Api.SimulateTransactionResponse;
  /** Assemble with the simulation first (default: when a simulation is given). */
  simulate?: boolean;
};

/**
 * The signers of a transaction's address-credential auth entries, split into signed and
 * pending (void signature), after assembling it with a simulation when one is given.
 *
 * @throws {Error} unless the transaction holds exactly one `invokeHostFunction` operation.
 * @example
 * ```ts
 * const { pendingSignature } = gatherAuthEntrySignatureStatus({ transaction: tx, simulationResponse: sim });
 * ```
 */
export function gatherAuthEntrySignatureStatus({
  transaction,
  simulationResponse,
  simulate,
}: GatherAuthEntrySignatureStatusInput): ContractSigners {
  const assembled =
    (simulate ?? simulationResponse !== undefined) && simulationResponse
      ? assembleTransaction(transaction, simulationResponse).build()
      : transaction;
  const [operation, ...rest] = assembled.operations;
  if (!operation || rest.length > 0) throw new Error("expected exactly one operation");
  if (operation.type !== "invokeHostFunction")
    throw new Error(`expected invokeHostFunction, got ${operation.type}`);
  const signed = new Set<string>();
  const pending = new Set<string>();
  for (const entry of operation.auth ?? []) {
    if (entry.credentials().switch() !== xdr.SorobanCredentialsType.sorobanCredentialsAddress()) continue;
    const credentials = entry.credentials().address();
    const address = Address.fromScAddress(credentials.address()).toString();
    (credentials.signature().switch().name === "scvVoid" ? pending : signed).add(address);
  }
  return { alreadySigned: [...signed], pendingSignature: [...pending] };
}
