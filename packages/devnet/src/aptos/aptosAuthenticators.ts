import {
  AccountAddress,
  type AccountAuthenticator,
  AccountAuthenticatorEd25519,
  AccountAuthenticatorMultiKey,
  AccountAuthenticatorSingleKey,
  Ed25519PublicKey,
  Ed25519Signature,
  generateSigningMessageForTransaction,
  type RawTransaction,
  SimpleTransaction,
  type TransactionAuthenticator,
  TransactionAuthenticatorEd25519,
  TransactionAuthenticatorFeePayer,
  TransactionAuthenticatorSingleSender,
} from "@aptos-labs/ts-sdk";
import { isSmallOrderEd25519Point } from "./ed25519Strict.js";

/** One signer of a transaction: whose account, and its authenticator. */
export interface TransactionSigner {
  address: AccountAddress;
  authenticator: AccountAuthenticator;
  /** The signing messages its signature may cover. */
  messages: Uint8Array[];
}

/** Why a transaction's authenticator was refused (an Aptos VM status name). */
export class AuthenticatorError extends Error {
  constructor(readonly vmStatus: string) {
    super(vmStatus);
  }
}

/**
 * The signers of a transaction (sender, and fee payer when sponsored) with the messages each
 * may have signed. Supported: Ed25519 and SingleSender transactions, and fee-payer transactions
 * without secondary signers — what the x402 Aptos payment uses.
 *
 * @example
 * ```ts
 * const signers = transactionSigners(signed.raw_txn, signed.authenticator);
 * ```
 */
export function transactionSigners(
  raw: RawTransaction,
  authenticator: TransactionAuthenticator,
): TransactionSigner[] {
  if (authenticator instanceof TransactionAuthenticatorEd25519) {
    const account = new AccountAuthenticatorEd25519(authenticator.public_key, authenticator.signature);
    return [{ address: raw.sender, authenticator: account, messages: [singleMessage(raw)] }];
  }
  if (authenticator instanceof TransactionAuthenticatorSingleSender)
    return [{ address: raw.sender, authenticator: authenticator.sender, messages: [singleMessage(raw)] }];
  if (authenticator instanceof TransactionAuthenticatorFeePayer) {
    if (authenticator.secondary_signer_addresses.length > 0)
      throw new AuthenticatorError("FEATURE_UNDER_GATING"); // multi-agent payments are out of scope here
    const feePayer = authenticator.fee_payer.address;
    const withFeePayer = generateSigningMessageForTransaction(new SimpleTransaction(raw, feePayer));
    // Aptos also accepts a sender signature made with the fee payer left as 0x0.
    const withZero = generateSigningMessageForTransaction(new SimpleTransaction(raw, AccountAddress.ZERO));
    return [
      { address: raw.sender, authenticator: authenticator.sender, messages: [withFeePayer, withZero] },
      { address: feePayer, authenticator: authenticator.fee_payer.authenticator, messages: [withFeePayer] },
    ];
  }
  throw new AuthenticatorError("INVALID_SIGNATURE");
}

/**
 * The authentication key an authenticator's public key stands for, or undefined for
 * authenticators without a key (simulation placeholders).
 *
 * @example
 * ```ts
 * authenticationKeyOf(signer.authenticator); // "0x…"
 * ```
 */
export function authenticationKeyOf(authenticator: AccountAuthenticator): string | undefined {
  if (authenticator instanceof AccountAuthenticatorEd25519)
    return authenticator.public_key.authKey().toString();
  if (authenticator instanceof AccountAuthenticatorSingleKey)
    return authenticator.public_key.authKey().toString();
  if (authenticator instanceof AccountAuthenticatorMultiKey)
    return authenticator.public_keys.authKey().toString();
  return undefined;
}

/**
 * True when the authenticator's signature verifies over one of `messages`.
 *
 * @example
 * ```ts
 * signatureVerifies(signer.authenticator, signer.messages);
 * ```
 */
export function signatureVerifies(authenticator: AccountAuthenticator, messages: Uint8Array[]): boolean {
  if (hasSmallOrderEd25519(authenticator)) return false;
  return messages.some((message) => {
    try {
      if (authenticator instanceof AccountAuthenticatorEd25519)
        return authenticator.public_key.verifySignature({ message, signature: authenticator.signature });
      if (authenticator instanceof AccountAuthenticatorSingleKey)
        return authenticator.public_key.verifySignature({ message, signature: authenticator.signature });
      if (authenticator instanceof AccountAuthenticatorMultiKey)
        return authenticator.public_keys.verifySignature({ message, signature: authenticator.signatures });
      return false;
    } catch {
      return false;
    }
  });
}

/** A small-order Ed25519 key or signature R anywhere in the authenticator (strict verification refuses it). */
function hasSmallOrderEd25519(authenticator: AccountAuthenticator): boolean {
  let keys: unknown[] = [];
  let signatures: unknown[] = [];
  if (authenticator instanceof AccountAuthenticatorEd25519) {
    keys = [authenticator.public_key];
    signatures = [authenticator.signature];
  } else if (authenticator instanceof AccountAuthenticatorSingleKey) {
    keys = [authenticator.public_key.publicKey];
    signatures = [authenticator.signature.signature];
  } else if (authenticator instanceof AccountAuthenticatorMultiKey) {
    keys = authenticator.public_keys.publicKeys.map((key) => key.publicKey);
    signatures = authenticator.signatures.signatures.map((signature) => signature.signature);
  }
  return (
    keys.some((key) => key instanceof Ed25519PublicKey && isSmallOrderEd25519Point(key.toUint8Array())) ||
    signatures.some(
      (signature) =>
        signature instanceof Ed25519Signature &&
        isSmallOrderEd25519Point(signature.toUint8Array().subarray(0, 32)),
    )
  );
}

function singleMessage(raw: RawTransaction): Uint8Array {
  return generateSigningMessageForTransaction(new SimpleTransaction(raw));
}
