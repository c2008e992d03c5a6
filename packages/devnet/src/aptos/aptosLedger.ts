import {
  type Account,
  AccountAddress,
  Deserializer,
  Hex,
  hashValues,
  SignedTransaction,
  TransactionPayloadEntryFunction,
} from "@aptos-labs/ts-sdk";
import { transactionSigners } from "./aptosAuthenticators.js";
import {
  type AccountState,
  AptosValidationError,
  checkPrologue,
  gasPayer,
  type PrologueView,
} from "./aptosPrologue.js";
import { type TransactionEvent, type TransactionJson, transactionJson } from "./transactionJson.js";

export { AptosValidationError } from "./aptosPrologue.js";

/** Options of {@link AptosLedger}. */
export interface AptosLedgerOptions {
  /** Default 4 (a local Aptos network). */
  chainId?: number;
  /** Gas units every transaction uses. Default 8. */
  gasUsed?: bigint;
  /** Lowest accepted gas unit price (octas). Default 100, like mainnet. */
  minGasUnitPrice?: bigint;
  /** Seconds since the epoch (tests move time). Default: the wall clock. */
  now?: () => number;
}

const TRANSACTION_PREFIX = hashValues(["APTOS::Transaction"]);
const MAIN_ASSET = "0x1::aptos_coin::AptosCoin";

/**
 * A small Aptos ledger for tests — a LOCAL STAND-IN, not an Aptos node. It keeps accounts
 * (sequence number, authentication key, APT in octas, fungible-asset balances), checks what a
 * validator's prologue checks for the payments x402 makes (chain id, every signature over the
 * right signing message, authentication keys, sequence number, expiration, gas price and the gas
 * payer's balance), executes `0x1::primary_fungible_store::transfer`, charges gas to the fee
 * payer (or sender) and bumps the sender's sequence number, so a replay is refused.
 *
 * @example
 * ```ts
 * const ledger = new AptosLedger({ chainId: 4 });
 * ledger.createAccount(alice, 10n ** 8n);
 * const usdc = ledger.createFungibleAsset("USDC", 6);
 * ledger.mint(usdc, alice.accountAddress.toStringLong(), 1_000_000n);
 * ```
 */
export class AptosLedger {
  readonly chainId: number;
  private readonly gasUsed: bigint;
  private readonly minGasUnitPrice: bigint;
  private readonly now: () => number;
  private readonly accounts = new Map<string, AccountState>();
  private readonly assetInfo = new Map<string, { symbol: string; decimals: number }>();
  private readonly byHash = new Map<string, TransactionJson>();
  /** Accepted, not yet committed (while commits are paused), by hash, in arrival order. */
  private readonly mempool = new Map<string, Uint8Array>();
  private paused: { visible: boolean } | undefined;
  private version = 1n;
  /** What the prologue reads of this ledger. */
  private readonly prologueView: PrologueView = {
    chainId: () => this.chainId,
    minGasUnitPrice: () => this.minGasUnitPrice,
    now: () => this.now(),
    account: (address) => this.account(address),
  };

  constructor(options: AptosLedgerOptions = {}) {
    this.chainId = options.chainId ?? 4;
    this.gasUsed = options.gasUsed ?? 8n;
    this.minGasUnitPrice = options.minGasUnitPrice ?? 100n;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** Create (or top up) an account whose authentication key is the SDK account's. */
  createAccount(account: Account, octas = 0n): string {
    const address = account.accountAddress.toStringLong();
    const state = this.accounts.get(address);
    if (state) {
      state.octas += octas;
      state.exists = true;
    } else
      this.accounts.set(address, {
        exists: true,
        sequenceNumber: 0n,
        authKey: account.publicKey.authKey().toString(),
        octas,
        assets: new Map(),
      });
    return address;
  }

  /** A new fungible asset; returns its metadata address (long form). */
  createFungibleAsset(symbol: string, decimals: number): string {
    const address = AccountAddress.from(
      hashValues([`x402kit-devnet-fa:${symbol}:${this.assetInfo.size}`]),
    ).toStringLong();
    this.assetInfo.set(address, { symbol, decimals });
    return address;
  }

  /** Credit `amount` of a fungible asset to `owner`'s primary store (the address need not be an account yet). */
  mint(asset: string, owner: string, amount: bigint): void {
    const key = this.assetKey(asset);
    if (!key) throw new Error(`unknown asset ${asset}`);
    const state = this.storeOwner(AccountAddress.from(owner).toStringLong());
    state.assets.set(key, (state.assets.get(key) ?? 0n) + amount);
  }

  /** Balance of a fungible asset, or of APT (octas) for `0x1::aptos_coin::AptosCoin` / `0xa`. */
  balance(owner: string, asset: string = MAIN_ASSET): bigint {
    const state = this.account(owner);
    if (!state) return 0n;
    if (asset === MAIN_ASSET || isAptMetadata(asset)) return state.octas;
    const key = this.assetKey(asset);
    return key ? (state.assets.get(key) ?? 0n) : 0n;
  }

  /** `{ sequence_number, authentication_key }` as the REST API shows it, or undefined. */
  accountInfo(address: string): { sequence_number: string; authentication_key: string } | undefined {
    const state = this.account(address);
    return state?.exists
      ? { sequence_number: state.sequenceNumber.toString(), authentication_key: state.authKey }
      : undefined;
  }

  /** Ledger version (one per committed transaction) and time. */
  info(): { version: bigint; timestampSeconds: number } {
    return { version: this.version, timestampSeconds: this.now() };
  }

  /** A committed transaction by hash. */
  transaction(hash: string): TransactionJson | undefined {
    return this.byHash.get(hash.toLowerCase());
  }

  /**
   * What `GET /transactions/by_hash` shows: the committed transaction, or a pending one while
   * commits are paused and visible; undefined (HTTP 404) otherwise.
   */
  lookup(hash: string): TransactionJson | undefined {
    const key = hash.toLowerCase();
    const committed = this.byHash.get(key);
    if (committed || !this.paused?.visible) return committed;
    const bytes = this.mempool.get(key);
    return bytes && this.pendingTransaction(this.decode(bytes), key);
  }

  /**
   * Hold accepted transactions in a mempool instead of committing them at once (a slow chain).
   * `visible: false` makes them unknown to `by_hash` meanwhile (404), as a load-balanced API
   * whose other nodes have not seen the submission yet answers.
   */
  pauseCommits(options: { visible?: boolean } = {}): void {
    this.paused = { visible: options.visible ?? true };
  }

  /** Commit what waits in the mempool, in arrival order (the expired are dropped), and commit at once again. */
  resumeCommits(): void {
    this.paused = undefined;
    const waiting = [...this.mempool];
    this.mempool.clear();
    for (const [hash, bytes] of waiting) {
      const signed = this.decode(bytes);
      try {
        checkPrologue(signed, true, 0n, this.prologueView);
      } catch {
        continue; // expired (or invalidated) while waiting: never committed
      }
      this.byHash.set(hash, this.execute(signed, hash, true));
    }
  }

  /** Forget the mempool (a node restart): those transactions will never commit unless submitted again. */
  dropPending(): void {
    this.mempool.clear();
  }

  /**
   * Validate a BCS `SignedTransaction`, then execute and commit it (or, while commits are paused,
   * queue it). Submitting bytes already waiting is accepted again, like a mempool does; bytes
   * already committed are refused (`SEQUENCE_NUMBER_TOO_OLD`). Throws {@link AptosValidationError}.
   */
  submit(bytes: Uint8Array): TransactionJson {
    const signed = this.decode(bytes);
    const hash = new Hex(hashValues([TRANSACTION_PREFIX, new Uint8Array([0]), bytes])).toString();
    if (this.byHash.has(hash)) throw new AptosValidationError("SEQUENCE_NUMBER_TOO_OLD");
    if (this.mempool.has(hash)) return this.pendingTransaction(signed, hash);
    checkPrologue(signed, true, this.queuedFrom(signed.raw_txn.sender.toStringLong()), this.prologueView);
    if (this.paused) {
      this.mempool.set(hash, bytes);
      return this.pendingTransaction(signed, hash);
    }
    const committed = this.execute(signed, hash, true);
    this.byHash.set(hash, committed);
    return committed;
  }

  private pendingTransaction(signed: SignedTransaction, hash: string): TransactionJson {
    return { ...transactionJson(signed, hash, this.version, false, "", 0n), type: "pending_transaction" };
  }

  /** How many of `sender`'s transactions wait in the mempool (they take the next sequence numbers). */
  private queuedFrom(sender: string): bigint {
    let count = 0n;
    for (const bytes of this.mempool.values())
      if (this.decode(bytes).raw_txn.sender.toStringLong() === sender) count += 1n;
    return count;
  }

  /** Run a transaction without committing it; signatures are not checked (simulation carries none). */
  simulate(bytes: Uint8Array): TransactionJson {
    const signed = this.decode(bytes);
    const hash = new Hex(hashValues([TRANSACTION_PREFIX, new Uint8Array([0]), bytes])).toString();
    try {
      checkPrologue(signed, false, 0n, this.prologueView);
    } catch (error) {
      if (error instanceof AptosValidationError)
        return transactionJson(signed, hash, this.version, false, error.vmStatus, 0n);
      throw error;
    }
    return this.execute(signed, hash, false);
  }

  private decode(bytes: Uint8Array): SignedTransaction {
    const deserializer = new Deserializer(bytes);
    let signed: SignedTransaction;
    try {
      signed = SignedTransaction.deserialize(deserializer);
    } catch {
      throw new AptosValidationError("UNKNOWN_INVARIANT_VIOLATION_ERROR");
    }
    if (deserializer.remaining() !== 0) throw new AptosValidationError("UNKNOWN_INVARIANT_VIOLATION_ERROR");
    return signed;
  }

  /** Run the payload; on commit, apply it (unless it aborted), charge gas and bump the sequence number. */
  private execute(signed: SignedTransaction, hash: string, commit: boolean): TransactionJson {
    const raw = signed.raw_txn;
    const signers = transactionSigners(raw, signed.authenticator);
    const senderAddress = raw.sender.toStringLong();
    const sender = this.account(senderAddress) ?? newStoreOwner();
    const outOfGas = raw.max_gas_amount < this.gasUsed;
    const gasUsed = outOfGas ? raw.max_gas_amount : this.gasUsed;
    const transfer: Execution = outOfGas ? { status: "OUT_OF_GAS" } : this.transferOf(signed, sender);
    const success = transfer.status === "Executed successfully";
    if (!commit)
      return transactionJson(signed, hash, this.version, success, transfer.status, gasUsed, transfer.events);
    if (!sender.exists) {
      // Sponsored account creation: the sender's account now exists, with its default auth key.
      sender.exists = true;
      sender.authKey = senderAddress;
      this.accounts.set(senderAddress, sender);
    }
    if (success) transfer.apply?.();
    const payer = gasPayer(signers, this.prologueView);
    if (payer) payer.octas -= gasUsed * raw.gas_unit_price;
    sender.sequenceNumber += 1n;
    this.version += 1n;
    return transactionJson(
      signed,
      hash,
      this.version,
      success,
      transfer.status,
      gasUsed,
      success ? transfer.events : [],
    );
  }

  /** The entry function this ledger knows: `0x1::primary_fungible_store::transfer<Metadata>`. */
  private transferOf(signed: SignedTransaction, sender: AccountState): Execution {
    const payload = signed.raw_txn.payload;
    if (!(payload instanceof TransactionPayloadEntryFunction)) return { status: "FEATURE_UNDER_GATING" };
    const call = payload.entryFunction;
    const name = `${call.module_name.address.toString()}::${call.module_name.name.identifier}::${call.function_name.identifier}`;
    if (name !== "0x1::primary_fungible_store::transfer") return { status: "LINKER_ERROR" };
    const args = call.args.map((arg) => arg.bcsToBytes());
    if (call.type_args.length !== 1 || args.length !== 3 || args[2]?.length !== 8)
      return { status: "NUMBER_OF_TYPE_ARGUMENTS_MISMATCH" };
    const asset = this.assetKey(AccountAddress.from(args[0] as Uint8Array).toStringLong());
    if (!asset) return { status: "Move abort in 0x1::object: EOBJECT_DOES_NOT_EXIST(0x60002)" };
    const amount = new Deserializer(args[2] as Uint8Array).deserializeU64();
    const recipient = AccountAddress.from(args[1] as Uint8Array).toStringLong();
    const have = sender.assets.get(asset) ?? 0n;
    if (have < amount) return { status: "Move abort in 0x1::fungible_asset: EINSUFFICIENT_BALANCE(0x10004)" };
    const data = (store: string) => ({ store, amount: amount.toString(), metadata: asset });
    return {
      status: "Executed successfully",
      // The stand-in has no store objects: `store` names the owner of the primary store.
      events: [
        { type: "0x1::fungible_asset::Withdraw", data: data(signed.raw_txn.sender.toStringLong()) },
        { type: "0x1::fungible_asset::Deposit", data: data(recipient) },
      ],
      apply: () => {
        sender.assets.set(asset, have - amount);
        // primary_fungible_store::transfer creates the recipient's store, not its account.
        const to = this.storeOwner(recipient);
        to.assets.set(asset, (to.assets.get(asset) ?? 0n) + amount);
      },
    };
  }

  /** The entry of `address` (long form), created as a holder of stores only when absent. */
  private storeOwner(address: string): AccountState {
    const state = this.accounts.get(address) ?? newStoreOwner();
    this.accounts.set(address, state);
    return state;
  }

  private account(address: string): AccountState | undefined {
    try {
      return this.accounts.get(AccountAddress.from(address).toStringLong());
    } catch {
      return undefined;
    }
  }

  private assetKey(asset: string): string | undefined {
    try {
      const key = AccountAddress.from(asset).toStringLong();
      return this.assetInfo.has(key) ? key : undefined;
    } catch {
      return undefined;
    }
  }
}

function newStoreOwner(): AccountState {
  return { exists: false, sequenceNumber: 0n, authKey: "", octas: 0n, assets: new Map() };
}

function isAptMetadata(asset: string): boolean {
  try {
    return AccountAddress.from(asset).equals(AccountAddress.A);
  } catch {
    return false;
  }
}

/** What running a payload did: its VM status, the state change to apply, its events. */
interface Execution {
  status: string;
  apply?: () => void;
  events?: TransactionEvent[];
}
