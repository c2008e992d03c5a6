import {
  type Account,
  AccountAddress,
  Deserializer,
  Hex,
  hashValues,
  SignedTransaction,
  TransactionPayloadEntryFunction,
} from "@aptos-labs/ts-sdk";
import {
  AuthenticatorError,
  authenticationKeyOf,
  signatureVerifies,
  transactionSigners,
} from "./aptosAuthenticators.js";
import { type TransactionEvent, type TransactionJson, transactionJson } from "./transactionJson.js";

/** A transaction the ledger refused before execution (HTTP 400 on submit), with its VM status. */
export class AptosValidationError extends Error {
  constructor(readonly vmStatus: string) {
    super(`Invalid transaction: Type: Validation Code: ${vmStatus}`);
  }
}

interface AccountState {
  sequenceNumber: bigint;
  authKey: string;
  octas: bigint;
  assets: Map<string, bigint>;
}

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
const MAX_GAS_UNITS = 2_000_000n;
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
  private version = 1n;

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
    if (state) state.octas += octas;
    else
      this.accounts.set(address, {
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

  /** Credit `amount` of a fungible asset to an existing account. */
  mint(asset: string, owner: string, amount: bigint): void {
    const state = this.account(owner);
    const key = this.assetKey(asset);
    if (!state || !key) throw new Error(`unknown account ${owner} or asset ${asset}`);
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
    return state && { sequence_number: state.sequenceNumber.toString(), authentication_key: state.authKey };
  }

  /** Ledger version (one per committed transaction) and time. */
  info(): { version: bigint; timestampSeconds: number } {
    return { version: this.version, timestampSeconds: this.now() };
  }

  /** A committed transaction by hash. */
  transaction(hash: string): TransactionJson | undefined {
    return this.byHash.get(hash.toLowerCase());
  }

  /** Validate, execute and commit a BCS `SignedTransaction`. Throws {@link AptosValidationError}. */
  submit(bytes: Uint8Array): TransactionJson {
    const signed = this.decode(bytes);
    const hash = new Hex(hashValues([TRANSACTION_PREFIX, new Uint8Array([0]), bytes])).toString();
    if (this.byHash.has(hash)) throw new AptosValidationError("SEQUENCE_NUMBER_TOO_OLD");
    this.validate(signed, true);
    const committed = this.execute(signed, hash, true);
    this.byHash.set(hash, committed);
    return committed;
  }

  /** Run a transaction without committing it; signatures are not checked (simulation carries none). */
  simulate(bytes: Uint8Array): TransactionJson {
    const signed = this.decode(bytes);
    const hash = new Hex(hashValues([TRANSACTION_PREFIX, new Uint8Array([0]), bytes])).toString();
    try {
      this.validate(signed, false);
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

  /** The prologue: everything checked before a transaction may run and pay gas. */
  private validate(signed: SignedTransaction, checkSignatures: boolean): void {
    const raw = signed.raw_txn;
    if (raw.chain_id.chainId !== this.chainId) throw new AptosValidationError("BAD_CHAIN_ID");
    let signers: ReturnType<typeof transactionSigners>;
    try {
      signers = transactionSigners(raw, signed.authenticator);
    } catch (error) {
      throw new AptosValidationError(
        error instanceof AuthenticatorError ? error.vmStatus : "INVALID_SIGNATURE",
      );
    }
    for (const signer of signers) {
      const state = this.account(signer.address.toStringLong());
      const isSimulatedFeePayer = !checkSignatures && signer.address.equals(AccountAddress.ZERO);
      if (!state && !isSimulatedFeePayer) throw new AptosValidationError("SENDING_ACCOUNT_DOES_NOT_EXIST");
      if (!checkSignatures) continue;
      if (authenticationKeyOf(signer.authenticator) !== state?.authKey)
        throw new AptosValidationError("INVALID_AUTH_KEY");
      if (!signatureVerifies(signer.authenticator, signer.messages))
        throw new AptosValidationError("INVALID_SIGNATURE");
    }
    const sender = this.account(raw.sender.toStringLong()) as AccountState;
    if (raw.sequence_number < sender.sequenceNumber)
      throw new AptosValidationError("SEQUENCE_NUMBER_TOO_OLD");
    if (raw.sequence_number > sender.sequenceNumber)
      throw new AptosValidationError("SEQUENCE_NUMBER_TOO_NEW");
    if (raw.expiration_timestamp_secs <= BigInt(this.now()))
      throw new AptosValidationError("TRANSACTION_EXPIRED");
    if (raw.gas_unit_price < this.minGasUnitPrice)
      throw new AptosValidationError("GAS_UNIT_PRICE_BELOW_MIN_BOUND");
    if (raw.max_gas_amount > MAX_GAS_UNITS)
      throw new AptosValidationError("MAX_GAS_UNITS_EXCEEDS_MAX_GAS_UNITS_BOUND");
    const payer = this.gasPayer(signers);
    if (payer && payer.octas < raw.max_gas_amount * raw.gas_unit_price)
      throw new AptosValidationError("INSUFFICIENT_BALANCE_FOR_TRANSACTION_FEE");
  }

  /** Run the payload; on commit, apply it (unless it aborted), charge gas and bump the sequence number. */
  private execute(signed: SignedTransaction, hash: string, commit: boolean): TransactionJson {
    const raw = signed.raw_txn;
    const signers = transactionSigners(raw, signed.authenticator);
    const sender = this.account(raw.sender.toStringLong()) as AccountState;
    const outOfGas = raw.max_gas_amount < this.gasUsed;
    const gasUsed = outOfGas ? raw.max_gas_amount : this.gasUsed;
    const transfer: Execution = outOfGas ? { status: "OUT_OF_GAS" } : this.transferOf(signed, sender);
    const success = transfer.status === "Executed successfully";
    if (!commit)
      return transactionJson(signed, hash, this.version, success, transfer.status, gasUsed, transfer.events);
    if (success) transfer.apply?.();
    const payer = this.gasPayer(signers);
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
        // primary_fungible_store::transfer creates the recipient's store (and here, its account entry).
        const to = this.accounts.get(recipient) ?? {
          sequenceNumber: 0n,
          authKey: recipient,
          octas: 0n,
          assets: new Map(),
        };
        this.accounts.set(recipient, to);
        to.assets.set(asset, (to.assets.get(asset) ?? 0n) + amount);
      },
    };
  }

  private gasPayer(signers: ReturnType<typeof transactionSigners>): AccountState | undefined {
    const payer = signers[signers.length - 1];
    return payer ? this.account(payer.address.toStringLong()) : undefined;
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
