import { createPublicKey, type KeyObject, verify as verifyEd25519 } from "node:crypto";
import {
  AccountAddress,
  type AccountAuthenticator,
  AccountAuthenticatorEd25519,
  AccountAuthenticatorMultiEd25519,
  AccountAuthenticatorMultiKey,
  AccountAuthenticatorSingleKey,
  generateSigningMessageForTransaction,
  type PublicKey,
  type SimpleTransaction,
} from "@aptos-labs/ts-sdk";
import { ExactAptosReason as R } from "../../reasons.js";

/** Outcome of {@link verifySenderSignature}. */
export type SenderSignatureCheck =
  | { ok: true; publicKey: PublicKey }
  | { ok: false; reason: string; message: string };

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow.
const ED25519_SPKI_PREFIX = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
]);

/**
 * Check the sender's authenticator offline, before anything is co-signed: its key must derive
 * the sender's address (its authentication key) and its signature must verify over the signing
 * message of this exact transaction (the fee-payer variant when a fee payer is set). Ed25519 is
 * verified with Node's crypto; SingleKey, MultiKey and MultiEd25519 with the SDK.
 *
 * @example
 * ```ts
 * const check = verifySenderSignature(transaction, senderAuthenticator);
 * if (!check.ok) return invalidVerification(check.reason, check.message, payer);
 * ```
 */
export function verifySenderSignature(
  transaction: SimpleTransaction,
  authenticator: AccountAuthenticator,
): SenderSignatureCheck {
  const parts = keyAndSignature(authenticator);
  if (!parts)
    return { ok: false, reason: R.UnsupportedAuthenticator, message: "unsupported authenticator type" };
  const derived = AccountAddress.from(parts.publicKey.authKey().derivedAddress());
  if (!derived.equals(transaction.rawTransaction.sender))
    return {
      ok: false,
      reason: R.SenderAuthenticatorMismatch,
      message: "the authenticator's key does not derive the sender's address",
    };
  const message = generateSigningMessageForTransaction(transaction);
  let valid = false;
  try {
    valid = parts.verify(message);
  } catch {
    valid = false;
  }
  return valid
    ? { ok: true, publicKey: parts.publicKey }
    : { ok: false, reason: R.InvalidSignature, message: "the sender's signature does not verify" };
}

interface KeyParts {
  publicKey: PublicKey & { authKey(): { derivedAddress(): AccountAddress } };
  verify(message: Uint8Array): boolean;
}

function keyAndSignature(authenticator: AccountAuthenticator): KeyParts | undefined {
  if (authenticator instanceof AccountAuthenticatorEd25519) {
    const key = authenticator.public_key;
    const signature = authenticator.signature.toUint8Array();
    return { publicKey: key, verify: (message) => verifyEd25519Fast(key.toUint8Array(), message, signature) };
  }
  if (authenticator instanceof AccountAuthenticatorSingleKey) {
    const { public_key: key, signature } = authenticator;
    return { publicKey: key, verify: (message) => key.verifySignature({ message, signature }) };
  }
  if (authenticator instanceof AccountAuthenticatorMultiKey) {
    const { public_keys: key, signatures } = authenticator;
    return { publicKey: key, verify: (message) => key.verifySignature({ message, signature: signatures }) };
  }
  if (authenticator instanceof AccountAuthenticatorMultiEd25519) {
    const { public_key: key, signature } = authenticator;
    return { publicKey: key, verify: (message) => key.verifySignature({ message, signature }) };
  }
  return undefined;
}

// Parsed keys of recent payers: building a KeyObject costs as much as verifying with it.
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_SIZE = 1024;

function verifyEd25519Fast(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const id = Buffer.from(publicKey).toString("hex");
  let key = keyCache.get(id);
  if (!key) {
    const spki = new Uint8Array(ED25519_SPKI_PREFIX.length + 32);
    spki.set(ED25519_SPKI_PREFIX);
    spki.set(publicKey, ED25519_SPKI_PREFIX.length);
    key = createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(id, key);
  }
  return verifyEd25519(null, message, key, signature);
}
