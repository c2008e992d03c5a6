import { createPublicKey, type KeyObject, verify as verifyEd25519 } from "node:crypto";
import {
  AccountAddress,
  type AccountAuthenticator,
  AccountAuthenticatorEd25519,
  AccountAuthenticatorMultiEd25519,
  AccountAuthenticatorMultiKey,
  AccountAuthenticatorSingleKey,
  Ed25519PublicKey,
  Ed25519Signature,
  generateSigningMessageForTransaction,
  type PublicKey,
  SimpleTransaction,
} from "@aptos-labs/ts-sdk";
import { ExactAptosReason as R } from "../../reasons.js";
import { ed25519StrictlyValid, isSmallOrderEd25519Point } from "./ed25519Strict.js";

/** Outcome of {@link verifySenderSignature}. */
export type SenderSignatureCheck =
  | { ok: true; publicKey: PublicKey }
  | { ok: false; reason: string; message: string };

/** Outcome of {@link readSenderKey}: the key, and the (costly) signature check still to run. */
export type SenderKeyCheck =
  | { ok: true; publicKey: PublicKey; verifySignature(): SenderSignatureCheck }
  | { ok: false; reason: string; message: string };

/** Most keys a MultiKey or MultiEd25519 sender may carry: each costs a verification (secp256k1 ≈ 2 ms). */
export const MAX_SENDER_KEYS = 3;

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow.
const ED25519_SPKI_PREFIX = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
]);

/**
 * The cheap half of the sender check: a supported authenticator (MultiKey / MultiEd25519 of at
 * most {@link MAX_SENDER_KEYS} keys) whose key derives the sender's address. The returned
 * `verifySignature` does the costly half; callers run it after every other offline check.
 *
 * @example
 * ```ts
 * const key = readSenderKey(transaction, senderAuthenticator);
 * if (key.ok) console.log(key.verifySignature().ok);
 * ```
 */
export function readSenderKey(
  transaction: SimpleTransaction,
  authenticator: AccountAuthenticator,
): SenderKeyCheck {
  const parts = keyAndSignature(authenticator);
  if (typeof parts === "string") return { ok: false, reason: R.UnsupportedAuthenticator, message: parts };
  const derived = AccountAddress.from(parts.publicKey.authKey().derivedAddress());
  if (!derived.equals(transaction.rawTransaction.sender))
    return {
      ok: false,
      reason: R.SenderAuthenticatorMismatch,
      message: "the authenticator's key does not derive the sender's address",
    };
  return {
    ok: true,
    publicKey: parts.publicKey,
    verifySignature: () =>
      signingMessages(transaction).some((message) => verifiesQuietly(parts, message))
        ? { ok: true, publicKey: parts.publicKey }
        : { ok: false, reason: R.InvalidSignature, message: "the sender's signature does not verify" },
  };
}

/**
 * Check the sender's authenticator offline, before anything is co-signed: its key must derive
 * the sender's address (its authentication key) and its signature must verify, strictly, over
 * the signing message of this exact transaction (with a fee payer set, Aptos also accepts the
 * message signed with fee payer `0x0`). Ed25519 is verified with Node's crypto plus the
 * small-order checks it lacks; SingleKey, MultiKey and MultiEd25519 with the SDK.
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
  const key = readSenderKey(transaction, authenticator);
  return key.ok ? key.verifySignature() : key;
}

/** The messages the sender may have signed: as built, and with fee payer 0x0 when sponsored. */
function signingMessages(transaction: SimpleTransaction): Uint8Array[] {
  const messages = [generateSigningMessageForTransaction(transaction)];
  if (transaction.feePayerAddress && !transaction.feePayerAddress.equals(AccountAddress.ZERO))
    messages.push(
      generateSigningMessageForTransaction(
        new SimpleTransaction(transaction.rawTransaction, AccountAddress.ZERO),
      ),
    );
  return messages;
}

interface KeyParts {
  publicKey: PublicKey & { authKey(): { derivedAddress(): AccountAddress } };
  verify(message: Uint8Array): boolean;
}

function verifiesQuietly(parts: KeyParts, message: Uint8Array): boolean {
  try {
    return parts.verify(message);
  } catch {
    return false;
  }
}

/** Key and verifier of a supported authenticator, or why it is not supported. */
function keyAndSignature(authenticator: AccountAuthenticator): KeyParts | string {
  if (authenticator instanceof AccountAuthenticatorEd25519) {
    const key = authenticator.public_key;
    const signature = authenticator.signature.toUint8Array();
    return {
      publicKey: key,
      verify: (message) => verifyEd25519Strict(key.toUint8Array(), message, signature),
    };
  }
  if (authenticator instanceof AccountAuthenticatorSingleKey) {
    const { public_key: key, signature } = authenticator;
    return {
      publicKey: key,
      verify: (message) =>
        noSmallOrderEd25519([key.publicKey], [signature.signature]) &&
        key.verifySignature({ message, signature }),
    };
  }
  if (authenticator instanceof AccountAuthenticatorMultiKey) {
    const { public_keys: key, signatures } = authenticator;
    if (key.publicKeys.length > MAX_SENDER_KEYS)
      return `a MultiKey of ${key.publicKeys.length} keys; at most ${MAX_SENDER_KEYS} are accepted`;
    return {
      publicKey: key,
      verify: (message) =>
        noSmallOrderEd25519(
          key.publicKeys.map((k) => k.publicKey),
          signatures.signatures.map((s) => s.signature),
        ) && key.verifySignature({ message, signature: signatures }),
    };
  }
  if (authenticator instanceof AccountAuthenticatorMultiEd25519) {
    const { public_key: key, signature } = authenticator;
    if (key.publicKeys.length > MAX_SENDER_KEYS)
      return `a MultiEd25519 key of ${key.publicKeys.length} keys; at most ${MAX_SENDER_KEYS} are accepted`;
    return {
      publicKey: key,
      verify: (message) =>
        noSmallOrderEd25519(key.publicKeys, signature.signatures) &&
        key.verifySignature({ message, signature }),
    };
  }
  return "unsupported authenticator type";
}

/** No Ed25519 key among `keys`, nor the `R` of any Ed25519 signature among `signatures`, is of small order. */
function noSmallOrderEd25519(keys: readonly unknown[], signatures: readonly unknown[]): boolean {
  for (const key of keys)
    if (key instanceof Ed25519PublicKey && isSmallOrderEd25519Point(key.toUint8Array())) return false;
  for (const signature of signatures)
    if (
      signature instanceof Ed25519Signature &&
      isSmallOrderEd25519Point(signature.toUint8Array().subarray(0, 32))
    )
      return false;
  return true;
}

// Parsed keys of recent payers: building a KeyObject costs as much as verifying with it.
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_SIZE = 1024;

function verifyEd25519Strict(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!ed25519StrictlyValid(publicKey, signature)) return false;
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
