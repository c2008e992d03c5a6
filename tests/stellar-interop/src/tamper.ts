import { Keypair, nativeToScVal, scValToNative, xdr } from "@stellar/stellar-sdk";
import type { PaymentPayload } from "@x402kit/core";

/** A copy of a payment whose transaction envelope was changed by `edit` (test helper for attacks). */
export function tamper(payment: PaymentPayload, edit: (tx: xdr.Transaction) => void): PaymentPayload {
  const transaction = (payment.payload as { transaction: string }).transaction;
  const envelope = xdr.TransactionEnvelope.fromXDR(transaction, "base64");
  edit(envelope.v1().tx());
  return { ...payment, payload: { transaction: envelope.toXDR("base64") } };
}

/** The auth entries of the transaction's one operation. */
export function authOf(tx: xdr.Transaction): xdr.SorobanAuthorizationEntry[] {
  return tx.operations()[0]!.body().invokeHostFunctionOp().auth();
}

/** Make `account` the transaction's source. */
export function setSource(tx: xdr.Transaction, account: Keypair): void {
  tx.sourceAccount(xdr.MuxedAccount.keyTypeEd25519(account.rawPublicKey()));
}

/** Flip one bit of the payer's ed25519 auth signature. */
export function flipSignatureBit(tx: xdr.Transaction): void {
  const credentials = authOf(tx)[0]!.credentials().address();
  const [entry] = scValToNative(credentials.signature()) as Array<{ public_key: Buffer; signature: Buffer }>;
  const signature = Buffer.from(entry!.signature);
  signature[0]! ^= 1;
  credentials.signature(
    xdr.ScVal.scvVec([
      nativeToScVal(
        { public_key: entry!.public_key, signature },
        { type: { public_key: ["symbol", null], signature: ["symbol", null] } },
      ),
    ]),
  );
}

/** Add a copy of the payer's auth entry made out to `account` (signed with the payer's bytes). */
export function addAuthFor(tx: xdr.Transaction, account: Keypair): void {
  const op = tx.operations()[0]!.body().invokeHostFunctionOp();
  const copy = xdr.SorobanAuthorizationEntry.fromXDR(op.auth()[0]!.toXDR());
  copy
    .credentials()
    .address()
    .address(xdr.ScAddress.scAddressTypeAccount(Keypair.fromPublicKey(account.publicKey()).xdrAccountId()));
  op.auth([...op.auth(), copy]);
}
