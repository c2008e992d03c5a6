import { createPublicKey, verify } from "node:crypto";
import { Address, hash, StrKey, scValToNative, xdr } from "@stellar/stellar-sdk";

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (node:crypto verifies natively, much faster). */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

import type { TransferCall } from "./tokenInvocation.js";

/** An auth entry the host would refuse, with the host's reason. */
export class AuthError extends Error {}

/**
 * Check the authorization of a transfer as the Soroban host does in enforcing mode: `from` is
 * the transaction's source (source-account credentials) or has an address-credentials entry
 * whose root invocation is exactly this call, signed by its ed25519 key over the
 * `HashIdPreimage::SorobanAuthorization` of this network, not expired at `ledger`, with a nonce
 * not used before. Returns the entry's nonce key and its own expiration (to record once applied:
 * the nonce stays used until that entry expires, whatever other entries say).
 */
export function checkTransferAuth(
  call: TransferCall,
  txSource: string,
  networkPassphrase: string,
  ledger: number,
  isNonceUsed: (key: string) => boolean,
): { key: string; expiration: number } | undefined {
  const entries = call.op.auth();
  let nonce: { key: string; expiration: number } | undefined;
  let authorized = false;
  for (const entry of entries) {
    const credentials = entry.credentials();
    if (credentials.switch().name === "sorobanCredentialsSourceAccount") {
      if (txSource !== call.from) throw new AuthError("source-account credentials for another account");
      authorized = true;
      continue;
    }
    const address = credentials.address();
    const signer = Address.fromScAddress(address.address()).toString();
    // The host consumes only the entries the call requires; others are not an error.
    if (signer !== call.from) continue;
    if (entry.rootInvocation().toXDR("base64") !== call.invocation.toXDR("base64"))
      throw new AuthError("the auth entry authorizes another invocation");
    const expiration = address.signatureExpirationLedger();
    if (expiration < ledger)
      throw new AuthError(`auth entry expired at ledger ${expiration} (now ${ledger})`);
    const key = `${signer}:${address.nonce().toString()}`;
    if (isNonceUsed(key)) throw new AuthError("nonce already used (replay)");
    const preimage = xdr.HashIdPreimage.envelopeTypeSorobanAuthorization(
      new xdr.HashIdPreimageSorobanAuthorization({
        networkId: hash(Buffer.from(networkPassphrase)),
        nonce: address.nonce(),
        signatureExpirationLedger: expiration,
        invocation: entry.rootInvocation(),
      }),
    );
    verifyAccountSignature(signer, hash(preimage.toXDR()), address.signature());
    nonce = { key, expiration };
    authorized = true;
  }
  if (!authorized && call.from !== txSource) throw new AuthError(`missing authorization of ${call.from}`);
  return nonce;
}

/** The address-credentials entry of `address` (the one the host consumes for it), if any. */
export function authEntryOf(call: TransferCall, address: string): xdr.SorobanAddressCredentials | undefined {
  for (const entry of call.op.auth()) {
    const credentials = entry.credentials();
    if (credentials.switch().name !== "sorobanCredentialsAddress") continue;
    if (Address.fromScAddress(credentials.address().address()).toString() === address)
      return credentials.address();
  }
  return undefined;
}

/** A G account signs with its master key: `[{ public_key, signature }]`. Contracts are not run here. */
function verifyAccountSignature(account: string, payload: Buffer, signature: xdr.ScVal): void {
  if (!StrKey.isValidEd25519PublicKey(account))
    throw new AuthError("contract accounts (__check_auth) are not supported by the stand-in");
  if (signature.switch().name !== "scvVec") throw new AuthError("missing signature");
  const signatures = scValToNative(signature) as Array<{ public_key?: Buffer; signature?: Buffer }>;
  const raw = StrKey.decodeEd25519PublicKey(account);
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, raw]),
    format: "der",
    type: "spki",
  });
  const valid = signatures.some(
    (s) =>
      s?.public_key instanceof Uint8Array &&
      s.signature instanceof Uint8Array &&
      s.signature.length === 64 &&
      Buffer.from(s.public_key).equals(raw) &&
      verify(null, payload, key, Buffer.from(s.signature)),
  );
  if (!valid) throw new AuthError(`no valid signature of ${account}`);
}

/** The entry recording mode returns: `from` must sign, with a fresh nonce, expiration and signature unset. */
export function recordedAuthEntry(call: TransferCall): xdr.SorobanAuthorizationEntry {
  const nonce = xdr.Int64.fromString(BigInt.asIntN(64, randomU64()).toString());
  return new xdr.SorobanAuthorizationEntry({
    credentials: xdr.SorobanCredentials.sorobanCredentialsAddress(
      new xdr.SorobanAddressCredentials({
        address: Address.fromString(call.from).toScAddress(),
        nonce,
        signatureExpirationLedger: 0,
        signature: xdr.ScVal.scvVoid(),
      }),
    ),
    rootInvocation: call.invocation,
  });
}

function randomU64(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}
