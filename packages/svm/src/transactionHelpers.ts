import { getTransactionDecoder, getTransactionEncoder, type Transaction } from "@solana/kit";
import { X402Error } from "@x402kit/core";
import { TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from "./constants.js";
import { sha256 } from "./crypto.js";
import { base64ToBytes, bytesToBase64 } from "./encoding.js";
import { decodeWireTransaction } from "./wireTransaction.js";

/**
 * The payload of SVM `exact` (v1 and v2): a base64 wire transaction, partially signed.
 *
 * @example
 * ```ts
 * const payload: ExactSvmPayload = { transaction: "AQAB…" };
 * ```
 */
export interface ExactSvmPayload {
  transaction: string;
}
/** The official v1 name of {@link ExactSvmPayload}. */
export type ExactSvmPayloadV1 = ExactSvmPayload;
/** The official v2 name of {@link ExactSvmPayload}. */
export type ExactSvmPayloadV2 = ExactSvmPayload;

/**
 * Decode a payload's base64 transaction into a kit `Transaction`.
 *
 * @throws {X402Error} `invalid_exact_svm_payload_transaction` when it is not a transaction.
 * @example
 * ```ts
 * const tx = decodeTransactionFromPayload(payload.payload as ExactSvmPayload);
 * ```
 */
export function decodeTransactionFromPayload(payload: ExactSvmPayload): Transaction {
  try {
    return getTransactionDecoder().decode(base64ToBytes(payload.transaction));
  } catch (cause) {
    throw new X402Error(
      "invalid_exact_svm_payload_transaction",
      "the payload's transaction could not be decoded",
      { cause },
    );
  }
}

/**
 * The duplicate-settlement key of a transaction: base64 SHA-256 of its message bytes.
 *
 * @example
 * ```ts
 * transactionMessageHash(decodeTransactionFromPayload(payload)); // "q1w2…="
 * ```
 */
export function transactionMessageHash(transaction: { messageBytes: Uint8Array }): string {
  return bytesToBase64(sha256(new Uint8Array(transaction.messageBytes)));
}

/**
 * The authority (4th account) of the first SPL Token / Token-2022 instruction: who pays.
 * Empty string when there is none.
 *
 * @example
 * ```ts
 * getTokenPayerFromTransaction(tx); // "6RdB…"
 * ```
 */
export function getTokenPayerFromTransaction(transaction: Transaction): string {
  const tx = decodeWireTransaction(new Uint8Array(getTransactionEncoder().encode(transaction)));
  for (const ix of tx.instructions) {
    const program = tx.staticAccounts[ix.programIdIndex];
    if (program !== TOKEN_PROGRAM_ADDRESS && program !== TOKEN_2022_PROGRAM_ADDRESS) continue;
    const authority = ix.accountIndexes[3];
    return authority === undefined ? "" : (tx.staticAccounts[authority] ?? "");
  }
  return "";
}
