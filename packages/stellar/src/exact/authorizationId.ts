import { Address, TransactionBuilder, xdr } from "@stellar/stellar-sdk";
import type { PaymentPayload } from "@x402kit/core";
import { STELLAR_NETWORK_TO_PASSPHRASE } from "../networks.js";
import { isExactStellarPayload } from "./payload.js";

/**
 * `network:asset:payer:nonce` of the payer's authorization entry (the one of the transfer's `from`): two payloads with the same
 * id spend the same signed authorization (the chain accepts its nonce once). `undefined` for
 * a payload that is not a Stellar `exact` transfer.
 *
 * @example
 * ```ts
 * authorizationIdOf(paymentPayload); // "stellar:testnet:CBIE…:GABC…:-81237…"
 * ```
 */
export function authorizationIdOf(payload: PaymentPayload): string | undefined {
  try {
    const inner = payload?.payload;
    const { network, asset } = payload.accepted;
    const passphrase = STELLAR_NETWORK_TO_PASSPHRASE.get(network);
    if (!isExactStellarPayload(inner) || !passphrase) return undefined;
    const tx = TransactionBuilder.fromXDR(inner.transaction, passphrase);
    if (!("operations" in tx) || tx.operations.length !== 1) return undefined;
    const op = tx.operations[0];
    if (op?.type !== "invokeHostFunction") return undefined;
    // The payer's own entry (the transfer's `from`): a junk entry put first must not change the id.
    const call = op.func.invokeContract();
    const fromArg = call.args()[0];
    if (fromArg?.switch().name !== "scvAddress") return undefined;
    const payer = Address.fromScAddress(fromArg.address()).toString();
    const entry = (op.auth ?? []).find(
      (a) =>
        a.credentials().switch() === xdr.SorobanCredentialsType.sorobanCredentialsAddress() &&
        Address.fromScAddress(a.credentials().address().address()).toString() === payer,
    );
    if (!entry) return undefined;
    const credentials = entry.credentials().address();
    return `${network}:${asset}:${payer}:${credentials.nonce().toString()}`;
  } catch {
    return undefined;
  }
}
