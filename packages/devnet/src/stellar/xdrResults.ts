import { hash, xdr } from "@stellar/stellar-sdk";

/** Result codes the stand-in answers with (a subset of stellar-core's). */
export type TxCode =
  | "txSuccess"
  | "txFailed"
  | "txTooEarly"
  | "txTooLate"
  | "txBadSeq"
  | "txBadAuth"
  | "txInsufficientBalance"
  | "txNoAccount"
  | "txInsufficientFee"
  | "txMalformed"
  | "txSorobanInvalid";

/** What applying one operation gave: the events of a success, or a trap. */
export type OperationOutcome = { ok: true; events: xdr.ContractEvent[] } | { ok: false };

function operationResults(outcome: OperationOutcome): xdr.OperationResult[] {
  const inner = outcome.ok
    ? xdr.InvokeHostFunctionResult.invokeHostFunctionSuccess(
        hash(
          new xdr.InvokeHostFunctionSuccessPreImage({
            returnValue: xdr.ScVal.scvVoid(),
            events: outcome.events,
          }).toXDR(),
        ),
      )
    : xdr.InvokeHostFunctionResult.invokeHostFunctionTrapped();
  return [xdr.OperationResult.opInner(xdr.OperationResultTr.invokeHostFunction(inner))];
}

/**
 * A `TransactionResult`: `txSuccess`/`txFailed` with the operation's result, or a bare
 * rejection code; wrapped as `txFeeBumpInnerSuccess`/`txFeeBumpInnerFailed` (the inner code
 * inside, e.g. `txBadSeq`) when a fee bump carried the transaction, as stellar-core answers.
 */
export function transactionResult(
  feeCharged: bigint,
  code: TxCode,
  outcome?: OperationOutcome,
  feeBump?: { innerHash: Buffer },
): xdr.TransactionResult {
  const ops = outcome ? operationResults(outcome) : [];
  const fee = xdr.Int64.fromString(feeCharged.toString());
  if (feeBump) {
    const innerResult = new xdr.InnerTransactionResult({
      feeCharged: fee,
      result:
        code === "txSuccess" || code === "txFailed"
          ? xdr.InnerTransactionResultResult[code](ops)
          : (xdr.InnerTransactionResultResult[code] as () => xdr.InnerTransactionResultResult)(),
      ext: new xdr.InnerTransactionResultExt(0),
    });
    const pair = new xdr.InnerTransactionResultPair({
      transactionHash: feeBump.innerHash,
      result: innerResult,
    });
    return new xdr.TransactionResult({
      feeCharged: fee,
      result:
        code === "txSuccess"
          ? xdr.TransactionResultResult.txFeeBumpInnerSuccess(pair)
          : xdr.TransactionResultResult.txFeeBumpInnerFailed(pair),
      ext: new xdr.TransactionResultExt(0),
    });
  }
  const result =
    code === "txSuccess" || code === "txFailed"
      ? xdr.TransactionResultResult[code](ops)
      : (xdr.TransactionResultResult[code] as () => xdr.TransactionResultResult)();
  return new xdr.TransactionResult({ feeCharged: fee, result, ext: new xdr.TransactionResultExt(0) });
}

/** `TransactionMeta` v3 with the Soroban part: the contract events of a success. */
export function transactionMeta(outcome: OperationOutcome): xdr.TransactionMeta {
  const events = outcome.ok ? outcome.events : [];
  return new xdr.TransactionMeta(
    3,
    new xdr.TransactionMetaV3({
      ext: new xdr.ExtensionPoint(0),
      txChangesBefore: [],
      operations: [new xdr.OperationMeta({ changes: [] })],
      txChangesAfter: [],
      sorobanMeta: new xdr.SorobanTransactionMeta({
        ext: new xdr.SorobanTransactionMetaExt(0),
        events,
        returnValue: xdr.ScVal.scvVoid(),
        diagnosticEvents: events.map(
          (event) => new xdr.DiagnosticEvent({ inSuccessfulContractCall: true, event }),
        ),
      }),
    }),
  );
}

/**
 * The latest ledger's header and an empty close meta, as base64 XDR: newer SDKs (15+) parse
 * both from `getLatestLedger`. Only the sequence and close time carry meaning here.
 */
export function latestLedgerXdr(
  sequence: number,
  closeTime: number,
): { headerXdr: string; metadataXdr: string } {
  const zero = Buffer.alloc(32);
  const header = new xdr.LedgerHeader({
    ledgerVersion: 23,
    previousLedgerHash: zero,
    scpValue: new xdr.StellarValue({
      txSetHash: zero,
      closeTime: xdr.Uint64.fromString(String(closeTime)),
      upgrades: [],
      ext: xdr.StellarValueExt.stellarValueBasic(),
    }),
    txSetResultHash: zero,
    bucketListHash: zero,
    ledgerSeq: sequence,
    totalCoins: xdr.Int64.fromString("1000000000000000000"),
    feePool: xdr.Int64.fromString("0"),
    inflationSeq: 0,
    idPool: xdr.Uint64.fromString("0"),
    baseFee: 100,
    baseReserve: 5_000_000,
    maxTxSetSize: 1000,
    skipList: [zero, zero, zero, zero],
    ext: new xdr.LedgerHeaderExt(0),
  });
  const meta = new xdr.LedgerCloseMeta(
    0,
    new xdr.LedgerCloseMetaV0({
      ledgerHeader: new xdr.LedgerHeaderHistoryEntry({
        hash: hash(header.toXDR()),
        header,
        ext: new xdr.LedgerHeaderHistoryEntryExt(0),
      }),
      txSet: new xdr.TransactionSet({ previousLedgerHash: zero, txes: [] }),
      txProcessing: [],
      upgradesProcessing: [],
      scpInfo: [],
    }),
  );
  return { headerXdr: header.toXDR("base64"), metadataXdr: meta.toXDR("base64") };
}
