import { AccountAddress, type SignedTransaction, TransactionAuthenticatorFeePayer } from "@aptos-labs/ts-sdk";
import {
  AuthenticatorError,
  authenticationKeyOf,
  signatureVerifies,
  transactionSigners,
} from "./aptosAuthenticators.js";

/** A transaction the ledger refused before execution (HTTP 400 on submit), with its VM status. */
export class AptosValidationError extends Error {
  constructor(readonly vmStatus: string) {
    super(`Invalid transaction: Type: Validation Code: ${vmStatus}`);
  }
}

export interface AccountState {
  /** False for an address that only holds fungible-asset stores (no account resource yet). */
  exists: boolean;
  sequenceNumber: bigint;
  authKey: string;
  octas: bigint;
  assets: Map<string, bigint>;
}

/** What {@link checkPrologue} reads of the ledger. */
export interface PrologueView {
  chainId(): number;
  minGasUnitPrice(): bigint;
  /** Unix seconds. */
  now(): number;
  account(address: string): AccountState | undefined;
}

const MAX_GAS_UNITS = 2_000_000n;

/** The prologue: everything checked before a transaction may run and pay gas. */
export function checkPrologue(
  signed: SignedTransaction,
  checkSignatures: boolean,
  queued: bigint,
  ledger: PrologueView,
): void {
  const raw = signed.raw_txn;
  if (raw.chain_id.chainId !== ledger.chainId()) throw new AptosValidationError("BAD_CHAIN_ID");
  let signers: ReturnType<typeof transactionSigners>;
  try {
    signers = transactionSigners(raw, signed.authenticator);
  } catch (error) {
    throw new AptosValidationError(
      error instanceof AuthenticatorError ? error.vmStatus : "INVALID_SIGNATURE",
    );
  }
  // A sponsored transaction may create its sender's account (sequence number 0, default auth key).
  const createsSender =
    signed.authenticator instanceof TransactionAuthenticatorFeePayer && raw.sequence_number === 0n;
  for (const signer of signers) {
    const state = ledger.account(signer.address.toStringLong());
    const exists = state?.exists === true;
    const isSimulatedFeePayer = !checkSignatures && signer.address.equals(AccountAddress.ZERO);
    const isNewSender = !exists && createsSender && signer.address.equals(raw.sender);
    if (!exists && !isSimulatedFeePayer && !isNewSender)
      throw new AptosValidationError("SENDING_ACCOUNT_DOES_NOT_EXIST");
    if (!checkSignatures) continue;
    const authKey = exists ? state?.authKey : signer.address.toStringLong();
    if (authenticationKeyOf(signer.authenticator) !== authKey)
      throw new AptosValidationError("INVALID_AUTH_KEY");
    if (!signatureVerifies(signer.authenticator, signer.messages))
      throw new AptosValidationError("INVALID_SIGNATURE");
  }
  const sender = ledger.account(raw.sender.toStringLong());
  const expected = (sender?.exists ? sender.sequenceNumber : 0n) + queued;
  if (raw.sequence_number < expected) throw new AptosValidationError("SEQUENCE_NUMBER_TOO_OLD");
  if (raw.sequence_number > expected) throw new AptosValidationError("SEQUENCE_NUMBER_TOO_NEW");
  if (raw.expiration_timestamp_secs <= BigInt(ledger.now()))
    throw new AptosValidationError("TRANSACTION_EXPIRED");
  if (raw.gas_unit_price < ledger.minGasUnitPrice())
    throw new AptosValidationError("GAS_UNIT_PRICE_BELOW_MIN_BOUND");
  if (raw.max_gas_amount > MAX_GAS_UNITS)
    throw new AptosValidationError("MAX_GAS_UNITS_EXCEEDS_MAX_GAS_UNITS_BOUND");
  const payer = gasPayer(signers, ledger);
  if (payer && payer.octas < raw.max_gas_amount * raw.gas_unit_price)
    throw new AptosValidationError("INSUFFICIENT_BALANCE_FOR_TRANSACTION_FEE");
}

/** The account that pays gas: the fee payer when there is one, else the sender. */
export function gasPayer(
  signers: ReturnType<typeof transactionSigners>,
  ledger: PrologueView,
): AccountState | undefined {
  const payer = signers[signers.length - 1];
  return payer ? ledger.account(payer.address.toStringLong()) : undefined;
}
