import {
  FeeBumpTransaction,
  Keypair,
  SorobanDataBuilder,
  StrKey,
  type Transaction,
  TransactionBuilder,
  xdr,
} from "@stellar/stellar-sdk";
import { authEntryOf, checkTransferAuth, recordedAuthEntry } from "./sorobanAuth.js";
import {
  decodeTransfer,
  type TransferCall,
  transferEvent,
  transferFootprint,
  UnsupportedCallError,
} from "./tokenInvocation.js";
import { type OperationOutcome, type TxCode, transactionMeta, transactionResult } from "./xdrResults.js";

/** Inclusion fee of one operation, in stroops (the network minimum, no surge pricing). */
export const BASE_FEE = 100n;

/**
 * The Soroban resources a transfer uses on the stand-in: what `simulateTransaction` declares and
 * what applying it needs (a transaction declaring less fails on chain, its fee charged).
 *
 * @example
 * ```ts
 * new SorobanDataBuilder().setResources(TRANSFER_RESOURCES.instructions, TRANSFER_RESOURCES.diskReadBytes, TRANSFER_RESOURCES.writeBytes);
 * ```
 */
export const TRANSFER_RESOURCES = { instructions: 2_000_000, diskReadBytes: 3_000, writeBytes: 600 } as const;

/** A token of the stand-in: a SEP-41 contract id with balances (no Wasm runs). */
export interface StellarToken {
  contract: string;
  name: string;
  decimals: number;
  balances: Map<string, bigint>;
}

/** A transaction the stand-in applied, as `getTransaction` reports it. */
export interface StellarTxRecord {
  hash: string;
  status: "SUCCESS" | "FAILED";
  ledger: number;
  createdAt: number;
  applicationOrder: number;
  feeBump: boolean;
  envelopeXdr: string;
  resultXdr: string;
  resultMetaXdr: string;
  /** Why it failed (not part of the RPC answer; for tests). */
  error?: string;
}

/** `simulateTransaction`'s raw JSON answer. */
export type SimulationJson = Record<string, unknown>;

type Envelope = Transaction | FeeBumpTransaction;

/**
 * The state of the local Stellar stand-in: native balances and sequence numbers of G accounts,
 * SEP-41 token balances, used authorization nonces (until they expire), applied transactions.
 * It checks what a validator would refuse: envelope signatures, sequence numbers, time and
 * ledger bounds, fees and the fee source's balance, and the Soroban authorization of the
 * transfer (signature over this network's preimage, expiration, nonce). It is TEST
 * INFRASTRUCTURE, not a Stellar node: it runs only SEP-41 `transfer`.
 */
export class StellarLedger {
  sequence: number;
  closeTime = Math.floor(Date.now() / 1000);
  readonly accounts = new Map<string, { sequence: bigint; balance: bigint }>();
  readonly tokens = new Map<string, StellarToken>();
  /** `address:nonce` → the ledger it expires at. */
  readonly usedNonces = new Map<string, number>();
  readonly transactions = new Map<string, StellarTxRecord>();
  private queue: Array<{ hash: string; envelope: Envelope }> = [];

  constructor(
    readonly networkPassphrase: string,
    /** The resource fee every transfer needs, in stroops. */
    readonly minResourceFee = 25_000n,
    startLedger = 1000,
  ) {
    this.sequence = startLedger;
  }

  /** Create (or top up) a G account with a native balance in stroops. */
  fundAccount(address: string, stroops: bigint): void {
    if (!StrKey.isValidEd25519PublicKey(address)) throw new Error(`${address} is not a G account`);
    const account = this.accounts.get(address);
    if (account) account.balance += stroops;
    // A new account's sequence number starts at its creation ledger << 32, as on Stellar.
    else this.accounts.set(address, { sequence: BigInt(this.sequence) << 32n, balance: stroops });
  }

  /** Register a SEP-41 token under a random contract id; returns the id (`C…`). */
  deployToken(name: string, decimals: number): string {
    const contract = StrKey.encodeContract(Buffer.from(crypto.getRandomValues(new Uint8Array(32))));
    this.tokens.set(contract, { contract, name, decimals, balances: new Map() });
    return contract;
  }

  mint(contract: string, address: string, amount: bigint): void {
    const token = this.token(contract);
    token.balances.set(address, (token.balances.get(address) ?? 0n) + amount);
  }

  balance(contract: string, address: string): bigint {
    return this.token(contract).balances.get(address) ?? 0n;
  }

  nativeBalance(address: string): bigint {
    return this.accounts.get(address)?.balance ?? 0n;
  }

  /** Simulate a transaction: recording mode without auth entries, enforcing mode with them. */
  simulate(envelopeXdr: string): SimulationJson {
    const latestLedger = this.sequence;
    try {
      const tx = TransactionBuilder.fromXDR(envelopeXdr, this.networkPassphrase);
      if (tx instanceof FeeBumpTransaction) throw new UnsupportedCallError("cannot simulate a fee bump");
      const call = decodeTransfer(tx);
      const token = this.token(call.contract);
      let auth: xdr.SorobanAuthorizationEntry[] = [];
      if (call.op.auth().length === 0) {
        if (call.from !== tx.source) auth = [recordedAuthEntry(call)];
      } else
        checkTransferAuth(call, tx.source, this.networkPassphrase, this.sequence + 1, (k) => this.isUsed(k));
      // The nonce the host writes is the payer's own entry's (other entries are not consumed).
      const nonce = auth[0]?.credentials().address().nonce() ?? authEntryOf(call, call.from)?.nonce();
      this.checkTransfer(call, token);
      const footprint = transferFootprint(call, nonce);
      const { instructions, diskReadBytes, writeBytes } = TRANSFER_RESOURCES;
      const data = new SorobanDataBuilder()
        .setFootprint(footprint.readOnly(), footprint.readWrite())
        .setResources(instructions, diskReadBytes, writeBytes)
        .setResourceFee(this.minResourceFee)
        .build();
      const event = new xdr.DiagnosticEvent({
        inSuccessfulContractCall: true,
        event: transferEvent(call, token.name),
      });
      return {
        latestLedger,
        minResourceFee: this.minResourceFee.toString(),
        cost: { cpuInsns: "1000000", memBytes: "100000" },
        results: [{ auth: auth.map((a) => a.toXDR("base64")), xdr: xdr.ScVal.scvVoid().toXDR("base64") }],
        transactionData: data.toXDR("base64"),
        events: [event.toXDR("base64")],
      };
    } catch (error) {
      return { latestLedger, error: `HostError: ${(error as Error).message}`, events: [] };
    }
  }

  /** Admit a transaction to the next ledger (`PENDING`), or refuse it as stellar-core would. */
  submit(envelopeXdr: string): { status: string; hash: string; errorResultXdr?: string } {
    let envelope: Envelope;
    try {
      envelope = TransactionBuilder.fromXDR(envelopeXdr, this.networkPassphrase);
    } catch {
      return { status: "ERROR", hash: "", errorResultXdr: reject("txMalformed") };
    }
    const txHash = envelope.hash().toString("hex");
    if (this.transactions.has(txHash) || this.queue.some((q) => q.hash === txHash))
      return { status: "DUPLICATE", hash: txHash };
    const problem = this.admissionProblem(envelope);
    if (problem)
      return {
        status: "ERROR",
        hash: txHash,
        // stellar-core answers a fee bump whose inner transaction is invalid with
        // txFeeBumpInnerFailed carrying the inner code (e.g. txBadSeq).
        errorResultXdr: reject(
          problem.code,
          problem.inner && envelope instanceof FeeBumpTransaction ? envelope.innerTransaction : undefined,
        ),
      };
    this.queue.push({ hash: txHash, envelope });
    return { status: "PENDING", hash: txHash };
  }

  /** Close a ledger: apply the queued transactions in order. */
  closeLedger(): void {
    this.sequence += 1;
    this.closeTime = Math.max(this.closeTime, Math.floor(Date.now() / 1000));
    const queue = this.queue;
    this.queue = [];
    for (const [index, { hash: txHash, envelope }] of queue.entries())
      this.apply(txHash, envelope, index + 1);
    for (const [key, expiration] of this.usedNonces)
      if (expiration < this.sequence) this.usedNonces.delete(key);
  }

  /** How many transactions wait for the next ledger. */
  get pendingCount(): number {
    return this.queue.length;
  }

  /** Why stellar-core would not admit the envelope; `inner` when the inner transaction is at fault. */
  private admissionProblem(envelope: Envelope): { code: TxCode; inner?: boolean } | undefined {
    const inner = envelope instanceof FeeBumpTransaction ? envelope.innerTransaction : envelope;
    const feeSource = envelope instanceof FeeBumpTransaction ? envelope.feeSource : inner.source;
    const source = this.accounts.get(inner.source);
    if (!this.accounts.has(feeSource)) return { code: "txNoAccount" };
    if (!source) return { code: "txNoAccount", inner: true };
    if (envelope instanceof FeeBumpTransaction && !isSignedBy(envelope, feeSource))
      return { code: "txBadAuth" };
    if (!isSignedBy(inner, inner.source)) return { code: "txBadAuth", inner: true };
    const queued = this.queue.filter((q) => sourceOf(q.envelope) === inner.source).length;
    if (BigInt(inner.sequence) !== source.sequence + 1n + BigInt(queued))
      return { code: "txBadSeq", inner: true };
    const bounds = this.boundsProblem(inner);
    if (bounds) return { code: bounds, inner: true };
    const resourceFee = declaredResourceFee(inner);
    // No Soroban data, or a negative resource fee (it would pay the fee source): invalid.
    if (resourceFee === undefined || resourceFee < 0n) return { code: "txSorobanInvalid", inner: true };
    const fee = BigInt(envelope.fee);
    if (fee < inclusionFee(envelope) + resourceFee) return { code: "txInsufficientFee" };
    if (this.nativeBalance(feeSource) < fee) return { code: "txInsufficientBalance" };
    return undefined;
  }

  private boundsProblem(tx: Transaction): TxCode | undefined {
    const now = Math.floor(Date.now() / 1000);
    const { timeBounds, ledgerBounds } = tx;
    if (timeBounds) {
      if (Number(timeBounds.minTime) > now) return "txTooEarly";
      if (Number(timeBounds.maxTime) !== 0 && Number(timeBounds.maxTime) < now) return "txTooLate";
    }
    if (ledgerBounds) {
      const next = this.sequence + 1;
      if (ledgerBounds.minLedger > next) return "txTooEarly";
      if (ledgerBounds.maxLedger !== 0 && ledgerBounds.maxLedger < next) return "txTooLate";
    }
    return undefined;
  }

  private apply(txHash: string, envelope: Envelope, order: number): StellarTxRecord {
    const feeBump = envelope instanceof FeeBumpTransaction;
    const inner = feeBump ? envelope.innerTransaction : envelope;
    const feeSource = feeBump ? envelope.feeSource : inner.source;
    const record = (
      code: TxCode,
      charged: bigint,
      outcome: OperationOutcome = { ok: false },
      error?: string,
    ) => {
      const result = transactionResult(
        charged,
        code,
        code === "txSuccess" || code === "txFailed" ? outcome : undefined,
        feeBump ? { innerHash: inner.hash() } : undefined,
      );
      const applied: StellarTxRecord = {
        hash: txHash,
        status: code === "txSuccess" ? "SUCCESS" : "FAILED",
        ledger: this.sequence,
        createdAt: this.closeTime,
        applicationOrder: order,
        feeBump,
        envelopeXdr: envelope.toEnvelope().toXDR("base64"),
        resultXdr: result.toXDR("base64"),
        resultMetaXdr: transactionMeta(outcome).toXDR("base64"),
        ...(error ? { error } : {}),
      };
      this.transactions.set(txHash, applied);
      return applied;
    };
    const source = this.accounts.get(inner.source);
    const payer = this.accounts.get(feeSource);
    if (!source || !payer) return record("txNoAccount", 0n);
    if (BigInt(inner.sequence) !== source.sequence + 1n) return record("txBadSeq", 0n);
    const declared = declaredResourceFee(inner) ?? 0n;
    if (declared < 0n) return record("txSorobanInvalid", 0n);
    // No surge pricing: the network's base fee per operation (a fee bump counts one more) plus
    // the declared resource fee (nothing is refunded).
    const charged = min(BigInt(envelope.fee), inclusionFee(envelope) + declared);
    if (payer.balance < charged) return record("txInsufficientBalance", 0n);
    payer.balance -= charged;
    source.sequence = BigInt(inner.sequence);
    const bounds = this.boundsProblem(inner);
    if (bounds) return record(bounds, charged);
    try {
      if (declared < this.minResourceFee) throw new Error("declared resource fee below the minimum");
      const call = decodeTransfer(inner);
      const token = this.token(call.contract);
      const nonce = checkTransferAuth(call, inner.source, this.networkPassphrase, this.sequence, (k) =>
        this.isUsed(k),
      );
      checkDeclaredResources(inner, call);
      this.checkTransfer(call, token);
      token.balances.set(call.from, (token.balances.get(call.from) ?? 0n) - call.amount);
      token.balances.set(call.to, (token.balances.get(call.to) ?? 0n) + call.amount);
      if (nonce) this.usedNonces.set(nonce.key, nonce.expiration);
      return record("txSuccess", charged, { ok: true, events: [transferEvent(call, token.name)] });
    } catch (error) {
      return record(
        "txFailed",
        charged,
        { ok: false },
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  private checkTransfer(call: TransferCall, token: StellarToken): void {
    if (call.amount < 0n) throw new Error("negative amount");
    if ((token.balances.get(call.from) ?? 0n) < call.amount) throw new Error("insufficient token balance");
  }

  private token(contract: string): StellarToken {
    const token = this.tokens.get(contract);
    if (!token) throw new UnsupportedCallError(`no token contract ${contract} on this ledger`);
    return token;
  }

  private isUsed(key: string): boolean {
    return this.usedNonces.has(key);
  }
}

function inclusionFee(envelope: Envelope): bigint {
  return envelope instanceof FeeBumpTransaction ? 2n * BASE_FEE : BASE_FEE;
}

function reject(code: TxCode, feeBumpedInner?: Transaction): string {
  return transactionResult(
    0n,
    code,
    undefined,
    feeBumpedInner ? { innerHash: feeBumpedInner.hash() } : undefined,
  ).toXDR("base64");
}

function sourceOf(envelope: Envelope): string {
  return envelope instanceof FeeBumpTransaction ? envelope.innerTransaction.source : envelope.source;
}

function isSignedBy(tx: Envelope, account: string): boolean {
  if (!StrKey.isValidEd25519PublicKey(account)) return false;
  const keypair = Keypair.fromPublicKey(account);
  const txHash = tx.hash();
  return tx.signatures.some(
    (s) => s.hint().equals(keypair.signatureHint()) && keypair.verify(txHash, s.signature()),
  );
}

function sorobanDataOf(tx: Transaction): xdr.SorobanTransactionData | undefined {
  const envelope = tx.toEnvelope();
  if (envelope.switch().name !== "envelopeTypeTx") return undefined;
  const ext = envelope.v1().tx().ext();
  return ext.switch() === 1 ? ext.sorobanData() : undefined;
}

function declaredResourceFee(tx: Transaction): bigint | undefined {
  const data = sorobanDataOf(tx);
  return data ? BigInt(data.resourceFee().toString()) : undefined;
}

/**
 * The host stops a transaction that uses more than it declared: fewer instructions or bytes than
 * a transfer needs, or a footprint without the keys it touches, fail (the fee stays charged).
 */
function checkDeclaredResources(tx: Transaction, call: TransferCall): void {
  const resources = sorobanDataOf(tx)?.resources();
  if (!resources) throw new Error("no Soroban resources declared");
  if (
    resources.instructions() < TRANSFER_RESOURCES.instructions ||
    resources.diskReadBytes() < TRANSFER_RESOURCES.diskReadBytes ||
    resources.writeBytes() < TRANSFER_RESOURCES.writeBytes
  )
    throw new Error("resource limit exceeded (declared resources below what the transfer uses)");
  const needed = transferFootprint(call, authEntryOf(call, call.from)?.nonce());
  const footprint = resources.footprint();
  const keys = (list: xdr.LedgerKey[]) => new Set(list.map((key) => key.toXDR("base64")));
  const readWrite = keys(footprint.readWrite());
  const readable = new Set([...keys(footprint.readOnly()), ...readWrite]);
  const missing =
    needed.readOnly().some((key) => !readable.has(key.toXDR("base64"))) ||
    needed.readWrite().some((key) => !readWrite.has(key.toXDR("base64")));
  if (missing) throw new Error("a ledger key the transfer touches is not in the footprint");
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
