import {
  AccountAuthenticator,
  Deserializer,
  type EntryFunction,
  SimpleTransaction,
  type TransactionPayload,
  TransactionPayloadEntryFunction,
} from "@aptos-labs/ts-sdk";
import { X402Error } from "@x402kit/core";
import { safeBase64Decode, safeBase64Encode } from "@x402kit/core/utils";

/**
 * The `payload` of an Aptos `exact` payment: base64 of a JSON object whose two fields are the
 * BCS bytes (as arrays of numbers) of the transaction and of the sender's authenticator.
 *
 * @example
 * ```ts
 * const payload: ExactAptosPayload = { transaction: encodeAptosPayload(tx.bcsToBytes(), auth.bcsToBytes()) };
 * ```
 */
export interface ExactAptosPayload {
  transaction: string;
}

/**
 * The JSON inside {@link ExactAptosPayload.transaction}.
 *
 * @example
 * ```ts
 * const decoded: DecodedAptosPayload = { transaction: [0, 1], senderAuthenticator: [0] };
 * ```
 */
export interface DecodedAptosPayload {
  /** BCS of the SDK's `SimpleTransaction` (raw transaction + optional fee payer address). */
  transaction: number[];
  /** BCS of an `AccountAuthenticator`. */
  senderAuthenticator: number[];
}

/**
 * A decoded payment: the transaction, the sender's authenticator, the entry function when the
 * payload is one, and the exact bytes they came from.
 *
 * @example
 * ```ts
 * const { transaction, entryFunction } = deserializeAptosPayment(payload.transaction);
 * ```
 */
export interface AptosPayment {
  transaction: SimpleTransaction;
  senderAuthenticator: AccountAuthenticator;
  entryFunction?: EntryFunction;
  transactionBytes: Uint8Array;
  authenticatorBytes: Uint8Array;
}

/**
 * Encode transaction and authenticator bytes the way the official client does.
 *
 * @example
 * ```ts
 * encodeAptosPayload(transaction.bcsToBytes(), senderAuthenticator.bcsToBytes()); // "eyJ0cmFuc2FjdGlvbiI6…"
 * ```
 */
export function encodeAptosPayload(transactionBytes: Uint8Array, authenticatorBytes: Uint8Array): string {
  const decoded: DecodedAptosPayload = {
    transaction: Array.from(transactionBytes),
    senderAuthenticator: Array.from(authenticatorBytes),
  };
  return safeBase64Encode(JSON.stringify(decoded));
}

/**
 * Decode an {@link ExactAptosPayload.transaction}. Strict: byte arrays must hold integers
 * 0–255 and each BCS value must use all of its bytes.
 *
 * @throws {X402Error} `invalid_payload` for anything malformed.
 * @example
 * ```ts
 * const { transaction, senderAuthenticator } = deserializeAptosPayment(payload.transaction);
 * ```
 */
export function deserializeAptosPayment(transactionBase64: string): AptosPayment {
  if (typeof transactionBase64 !== "string")
    throw new X402Error("invalid_payload", "payload.transaction must be a base64 string");
  let parsed: unknown;
  try {
    parsed = JSON.parse(safeBase64Decode(transactionBase64));
  } catch (error) {
    throw new X402Error("invalid_payload", "payload.transaction is not base64 of JSON", { cause: error });
  }
  const record = parsed as Partial<DecodedAptosPayload> | null;
  const transactionBytes = toBytes(record?.transaction, "transaction");
  const authenticatorBytes = toBytes(record?.senderAuthenticator, "senderAuthenticator");
  const transaction = readWhole(transactionBytes, "transaction", (d) => SimpleTransaction.deserialize(d));
  const senderAuthenticator = readWhole(authenticatorBytes, "senderAuthenticator", (d) =>
    AccountAuthenticator.deserialize(d),
  );
  const payload = transaction.rawTransaction.payload;
  return {
    transaction,
    senderAuthenticator,
    transactionBytes,
    authenticatorBytes,
    ...(isEntryFunctionPayload(payload) ? { entryFunction: payload.entryFunction } : {}),
  };
}

/**
 * True for an entry-function payload (BCS tag 2).
 *
 * @example
 * ```ts
 * isEntryFunctionPayload(transaction.rawTransaction.payload); // true
 * ```
 */
export function isEntryFunctionPayload(
  payload: TransactionPayload,
): payload is TransactionPayloadEntryFunction {
  return payload instanceof TransactionPayloadEntryFunction;
}

/**
 * True when `value` has the shape of an {@link ExactAptosPayload}.
 *
 * @example
 * ```ts
 * isExactAptosPayload({ transaction: "eyJ…" }); // true
 * ```
 */
export function isExactAptosPayload(value: unknown): value is ExactAptosPayload {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { transaction?: unknown }).transaction === "string"
  );
}

function toBytes(value: unknown, field: string): Uint8Array {
  if (!Array.isArray(value) || value.length === 0)
    throw new X402Error("invalid_payload", `${field} must be a non-empty array of bytes`);
  for (const byte of value)
    if (!Number.isInteger(byte) || byte < 0 || byte > 255)
      throw new X402Error("invalid_payload", `${field} holds a value that is not a byte`);
  return Uint8Array.from(value as number[]);
}

function readWhole<T>(bytes: Uint8Array, field: string, read: (d: Deserializer) => T): T {
  const deserializer = new Deserializer(bytes);
  let value: T;
  try {
    value = read(deserializer);
  } catch (error) {
    throw new X402Error("invalid_payload", `${field} is not valid BCS`, { cause: error });
  }
  if (deserializer.remaining() !== 0)
    throw new X402Error("invalid_payload", `${field} has ${deserializer.remaining()} trailing bytes`);
  return value;
}
