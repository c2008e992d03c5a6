import { Address, nativeToScVal, scValToNative, type Transaction, xdr } from "@stellar/stellar-sdk";

/** A decoded SEP-41 `transfer(from, to, amount)` call on one of the stand-in's tokens. */
export interface TransferCall {
  contract: string;
  from: string;
  to: string;
  amount: bigint;
  /** The invocation as an auth entry's root invocation must name it. */
  invocation: xdr.SorobanAuthorizedInvocation;
  op: xdr.InvokeHostFunctionOp;
}

/** Why a transaction is not a call the stand-in can run. */
export class UnsupportedCallError extends Error {}

/**
 * The one `invokeHostFunction` operation of a transaction as a SEP-41 `transfer`. The stand-in
 * runs nothing else (no Wasm): any other function, contract or shape is refused.
 */
export function decodeTransfer(tx: Transaction): TransferCall {
  if (tx.operations.length !== 1) throw new UnsupportedCallError("exactly one operation is supported");
  const raw = tx.toEnvelope().v1().tx().operations()[0]!;
  const body = raw.body();
  if (body.switch().name !== "invokeHostFunction")
    throw new UnsupportedCallError("only invokeHostFunction is supported");
  const op = body.invokeHostFunctionOp();
  const fn = op.hostFunction();
  if (fn.switch().name !== "hostFunctionTypeInvokeContract")
    throw new UnsupportedCallError("only contract invocations are supported");
  const args = fn.invokeContract();
  const name = args.functionName().toString();
  const values = args.args();
  if (name !== "transfer" || values.length !== 3)
    throw new UnsupportedCallError(`function ${name} is not supported (only SEP-41 transfer)`);
  const [from, to, amount] = values as [xdr.ScVal, xdr.ScVal, xdr.ScVal];
  if (from.switch().name !== "scvAddress" || to.switch().name !== "scvAddress")
    throw new UnsupportedCallError("transfer(from, to) must be addresses");
  if (amount.switch().name !== "scvI128") throw new UnsupportedCallError("amount must be an i128");
  const invocation = new xdr.SorobanAuthorizedInvocation({
    function: xdr.SorobanAuthorizedFunction.sorobanAuthorizedFunctionTypeContractFn(args),
    subInvocations: [],
  });
  return {
    contract: Address.fromScAddress(args.contractAddress()).toString(),
    from: Address.fromScAddress(from.address()).toString(),
    to: Address.fromScAddress(to.address()).toString(),
    amount: scValToNative(amount) as bigint,
    invocation,
    op,
  };
}

/** The SEP-41 / CAP-46 `transfer` event a token emits: topics (symbol, from, to, name), data amount. */
export function transferEvent(call: TransferCall, assetName: string): xdr.ContractEvent {
  return new xdr.ContractEvent({
    ext: new xdr.ExtensionPoint(0),
    contractId: Address.fromString(call.contract).toScAddress().contractId(),
    type: xdr.ContractEventType.contract(),
    body: new xdr.ContractEventBody(
      0,
      new xdr.ContractEventV0({
        topics: [
          xdr.ScVal.scvSymbol("transfer"),
          nativeToScVal(call.from, { type: "address" }),
          nativeToScVal(call.to, { type: "address" }),
          xdr.ScVal.scvString(assetName),
        ],
        data: nativeToScVal(call.amount, { type: "i128" }),
      }),
    ),
  });
}

/** The ledger keys a transfer touches: the token instance (read) and both balances and the nonce (write). */
export function transferFootprint(call: TransferCall, nonce?: xdr.Int64): xdr.LedgerFootprint {
  const contract = Address.fromString(call.contract).toScAddress();
  const data = (key: xdr.ScVal, durability: xdr.ContractDataDurability) =>
    xdr.LedgerKey.contractData(new xdr.LedgerKeyContractData({ contract, key, durability }));
  const balance = (address: string) =>
    data(
      xdr.ScVal.scvVec([xdr.ScVal.scvSymbol("Balance"), nativeToScVal(address, { type: "address" })]),
      xdr.ContractDataDurability.persistent(),
    );
  const readWrite = [balance(call.from), balance(call.to)];
  if (nonce)
    readWrite.push(
      xdr.LedgerKey.contractData(
        new xdr.LedgerKeyContractData({
          contract: Address.fromString(call.from).toScAddress(),
          key: xdr.ScVal.scvLedgerKeyNonce(new xdr.ScNonceKey({ nonce })),
          durability: xdr.ContractDataDurability.temporary(),
        }),
      ),
    );
  return new xdr.LedgerFootprint({
    readOnly: [data(xdr.ScVal.scvLedgerKeyContractInstance(), xdr.ContractDataDurability.persistent())],
    readWrite,
  });
}
