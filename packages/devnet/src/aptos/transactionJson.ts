import {
  AccountAuthenticatorEd25519,
  type SignedTransaction,
  TransactionAuthenticatorFeePayer,
  TransactionPayloadEntryFunction,
} from "@aptos-labs/ts-sdk";

/** A transaction as the REST API shows it (the fields the SDK and tests read). */
export type TransactionJson = Record<string, unknown> & { hash: string; success: boolean; vm_status: string };

/** An event of a committed transaction (fungible-asset `Withdraw` / `Deposit`). */
export interface TransactionEvent {
  type: string;
  data: Record<string, string>;
}

/**
 * The REST JSON of a user transaction (committed when `version` is set by the ledger).
 *
 * @example
 * ```ts
 * transactionJson(signed, hash, 7n, true, "Executed successfully", 8n).type; // "user_transaction"
 * ```
 */
export function transactionJson(
  signed: SignedTransaction,
  hash: string,
  version: bigint,
  success: boolean,
  vmStatus: string,
  gasUsed: bigint,
  events: readonly TransactionEvent[] = [],
): TransactionJson {
  const raw = signed.raw_txn;
  return {
    type: "user_transaction",
    version: version.toString(),
    hash,
    state_change_hash: hash,
    event_root_hash: hash,
    state_checkpoint_hash: null,
    gas_used: gasUsed.toString(),
    success,
    vm_status: vmStatus,
    accumulator_root_hash: hash,
    changes: [],
    events: events.map((event, index) => ({
      guid: { creation_number: "0", account_address: "0x0" },
      sequence_number: "0",
      type: event.type,
      data: event.data,
      event_index: index,
    })),
    timestamp: (BigInt(Date.now()) * 1000n).toString(),
    sender: raw.sender.toStringLong(),
    sequence_number: raw.sequence_number.toString(),
    max_gas_amount: raw.max_gas_amount.toString(),
    gas_unit_price: raw.gas_unit_price.toString(),
    expiration_timestamp_secs: raw.expiration_timestamp_secs.toString(),
    payload: payloadJson(signed),
    signature: signatureJson(signed),
  };
}

/**
 * The pending-transaction JSON the API answers a submission with.
 *
 * @example
 * ```ts
 * pendingJson(committed).type; // "pending_transaction"
 * ```
 */
export function pendingJson(committed: TransactionJson): Record<string, unknown> {
  const {
    hash,
    sender,
    sequence_number,
    max_gas_amount,
    gas_unit_price,
    expiration_timestamp_secs,
    payload,
    signature,
  } = committed;
  return {
    type: "pending_transaction",
    hash,
    sender,
    sequence_number,
    max_gas_amount,
    gas_unit_price,
    expiration_timestamp_secs,
    payload,
    signature,
  };
}

function payloadJson(signed: SignedTransaction): Record<string, unknown> {
  const payload = signed.raw_txn.payload;
  if (!(payload instanceof TransactionPayloadEntryFunction)) return { type: "unsupported_payload" };
  const call = payload.entryFunction;
  return {
    type: "entry_function_payload",
    function: `${call.module_name.address.toString()}::${call.module_name.name.identifier}::${call.function_name.identifier}`,
    type_arguments: call.type_args.map((tag) => tag.toString()),
    arguments: call.args.map((arg) => `0x${Buffer.from(arg.bcsToBytes()).toString("hex")}`),
  };
}

function signatureJson(signed: SignedTransaction): Record<string, unknown> {
  const auth = signed.authenticator;
  if (auth instanceof TransactionAuthenticatorFeePayer) {
    const sender = auth.sender;
    return {
      type: "fee_payer_signature",
      fee_payer_address: auth.fee_payer.address.toStringLong(),
      sender:
        sender instanceof AccountAuthenticatorEd25519
          ? {
              type: "ed25519_signature",
              public_key: sender.public_key.toString(),
              signature: sender.signature.toString(),
            }
          : { type: "single_key_signature" },
    };
  }
  return { type: auth.constructor.name };
}
