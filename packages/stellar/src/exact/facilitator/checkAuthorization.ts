import { Address, hash, StrKey, scValToNative, xdr } from "@stellar/stellar-sdk";
import { verifyEd25519 } from "../../ed25519.js";
import { ExactStellarReason as R } from "../../reasons.js";
import type { CheckedTransaction, Refusal } from "./checkTransaction.js";

/** Ledgers of slack on the expiration bound (the official tolerance). */
const EXPIRATION_TOLERANCE = 2;

/**
 * The payer's authorization, checked offline (steps 18–22 of our notes, then what the host
 * would check): address credentials only, none for a facilitator address, no
 * sub-invocations, no entry but the payer's, an expiration neither past (`≤ currentLedger`: it could not land) nor beyond
 * `currentLedger + ceil(maxTimeoutSeconds / ledgerSeconds) + 2`, the payer's entry naming
 * exactly this transfer, and — for a G-account payer — a valid ed25519 signature of its key over
 * this network's authorization preimage. Expired and badly signed entries get the reason the
 * official facilitator answers for them (`…_simulation_failed`: there the host finds them).
 * Returns the payer's nonce.
 */
export async function checkAuthorization(
  checked: CheckedTransaction,
  facilitatorAddresses: ReadonlySet<string>,
  currentLedger: number,
  maxLedgerOffset: number,
): Promise<{ nonce: string; expiration: number } | Refusal> {
  const { from } = checked;
  const entries = checked.invokeOp.auth();
  if (entries.length === 0) return refuse(R.NoAuthEntries, "the transfer carries no authorization", from);
  let payerEntry: xdr.SorobanAuthorizationEntry | undefined;
  for (const entry of entries) {
    if (entry.credentials().switch() !== xdr.SorobanCredentialsType.sorobanCredentialsAddress())
      return refuse(R.UnsupportedCredentialType, "only address credentials are accepted", from);
    const credentials = entry.credentials().address();
    const address = Address.fromScAddress(credentials.address()).toString();
    if (facilitatorAddresses.has(address))
      return refuse(R.FacilitatorInAuth, "an authorization entry is for a facilitator address", from);
    if (credentials.signatureExpirationLedger() > currentLedger + maxLedgerOffset + EXPIRATION_TOLERANCE)
      return refuse(R.ExpirationTooFar, "the authorization expires too far in the future", from);
    if (entry.rootInvocation().subInvocations().length > 0)
      return refuse(R.HasSubinvocations, "the authorization covers sub-invocations", from);
    if (credentials.signature().switch().name === "scvVoid")
      return refuse(
        address === from ? R.MissingPayerSignature : R.UnexpectedPendingSignatures,
        `the authorization of ${address} is not signed`,
        from,
      );
    if (address === from) payerEntry = entry;
  }
  if (!payerEntry) return refuse(R.MissingPayerSignature, "no authorization of the payer", from);
  // A transfer needs the payer's entry only (neither client adds others); an extra one would
  // be dead weight the facilitator pays for, and could disguise a replay.
  if (entries.length > 1)
    return refuse(R.Malformed, "only the payer's authorization entry is accepted", from);
  if (payerEntry.rootInvocation().toXDR("base64") !== checked.invocation.toXDR("base64"))
    return refuse(R.MissingPayerSignature, "the payer's authorization is for another invocation", from);
  const credentials = payerEntry.credentials().address();
  const expiration = credentials.signatureExpirationLedger();
  if (expiration <= currentLedger)
    return refuse(
      R.SimulationFailed,
      `the authorization expired at ledger ${expiration} (now ${currentLedger})`,
      from,
    );
  if (
    StrKey.isValidEd25519PublicKey(from) &&
    !(await hasValidSignature(payerEntry, from, checked.networkPassphrase))
  )
    return refuse(R.SimulationFailed, "the payer's authorization signature is invalid", from);
  return { nonce: credentials.nonce().toString(), expiration };
}

/**
 * The nonce of the payer's address-credentials entry (the transfer's `from`), if it has one: the
 * authorization a settlement record is kept under.
 *
 * @example
 * ```ts
 * const nonce = payerNonceOf(checked); // "-81237…"
 * ```
 */
export function payerNonceOf(checked: CheckedTransaction): string | undefined {
  for (const entry of checked.invokeOp.auth()) {
    if (entry.credentials().switch() !== xdr.SorobanCredentialsType.sorobanCredentialsAddress()) continue;
    const credentials = entry.credentials().address();
    if (Address.fromScAddress(credentials.address()).toString() === checked.from)
      return credentials.nonce().toString();
  }
  return undefined;
}

/** A G account's entry carries `[{ public_key, signature }]`; one must be its key's over the preimage. */
async function hasValidSignature(
  entry: xdr.SorobanAuthorizationEntry,
  account: string,
  networkPassphrase: string,
): Promise<boolean> {
  const credentials = entry.credentials().address();
  const preimage = xdr.HashIdPreimage.envelopeTypeSorobanAuthorization(
    new xdr.HashIdPreimageSorobanAuthorization({
      networkId: hash(Buffer.from(networkPassphrase)),
      nonce: credentials.nonce(),
      signatureExpirationLedger: credentials.signatureExpirationLedger(),
      invocation: entry.rootInvocation(),
    }),
  );
  const payload = hash(preimage.toXDR());
  const publicKey = StrKey.decodeEd25519PublicKey(account);
  let signatures: unknown;
  try {
    signatures = scValToNative(credentials.signature());
  } catch {
    return false;
  }
  if (!Array.isArray(signatures)) return false;
  for (const s of signatures as Array<{ public_key?: unknown; signature?: unknown }>) {
    const key = s?.public_key;
    const signature = s?.signature;
    if (
      key instanceof Uint8Array &&
      signature instanceof Uint8Array &&
      Buffer.from(key).equals(publicKey) &&
      (await verifyEd25519(publicKey, payload, signature))
    )
      return true;
  }
  return false;
}

function refuse(reason: string, message: string, payer?: string): Refusal {
  return { reason, message, ...(payer ? { payer } : {}) };
}
