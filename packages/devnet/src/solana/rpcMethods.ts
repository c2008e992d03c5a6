import { createHash } from "node:crypto";
import {
  type Address,
  getBase58Decoder,
  getBase58Encoder,
  getBase64Encoder,
  getTransactionDecoder,
  type Signature,
  type Transaction,
} from "@solana/kit";
import type { LiteSVM } from "litesvm";
import { LAMPORTS_PER_SIGNATURE, SOLANA_DEVNET_GENESIS_HASH } from "./constants.js";
import { decodeMint, decodeTokenAccount } from "./tokenState.js";
import { type RpcTransactionError, toRpcError } from "./transactionError.js";

/** A JSON-RPC error answered to the caller (code and message as Solana nodes use them). */
export class RpcMethodError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

interface SentTransaction {
  slot: number;
  err: RpcTransactionError | null;
  bytes: Uint8Array;
  fee: number;
  logs: string[];
}

const base64 = getBase64Encoder();
const base58ToBytes = getBase58Encoder();
const bytesToBase58 = getBase58Decoder();
const txDecoder = getTransactionDecoder();

/**
 * The Solana JSON-RPC methods the x402 roles (ours and the official `@x402/svm`) call, answered
 * from a litesvm instance. Every transaction lands at once ("finalized" in the next slot).
 *
 * @example
 * ```ts
 * const methods = new SolanaRpcMethods(new LiteSVM());
 * methods.call("getLatestBlockhash", []);
 * ```
 */
export class SolanaRpcMethods {
  private readonly sent = new Map<string, SentTransaction>();
  /** Messages that landed: a node's status cache refuses them again (`AlreadyProcessed`). */
  private readonly landed = new Set<string>();

  constructor(readonly svm: LiteSVM) {}

  /** Run one method; throws {@link RpcMethodError} for bad params or unknown methods. */
  call(method: string, params: unknown[]): unknown {
    switch (method) {
      case "getHealth":
        return "ok";
      case "getVersion":
        return { "solana-core": "2.3.0-litesvm", "feature-set": 0 };
      case "getGenesisHash":
        return SOLANA_DEVNET_GENESIS_HASH;
      case "getSlot":
      case "getBlockHeight":
        return this.slot();
      case "getEpochInfo":
        return {
          absoluteSlot: this.slot(),
          blockHeight: this.slot(),
          epoch: 0,
          slotIndex: this.slot(),
          slotsInEpoch: 432000,
          transactionCount: this.sent.size,
        };
      case "getLatestBlockhash":
        return this.withContext({
          blockhash: this.svm.latestBlockhash(),
          lastValidBlockHeight: this.slot() + 150,
        });
      case "isBlockhashValid":
        return this.withContext(params[0] === this.svm.latestBlockhash());
      case "getAccountInfo":
        return this.withContext(this.accountInfo(address(params[0]), encodingOf(params[1])));
      case "getMultipleAccounts":
        return this.withContext(
          arrayParam(params[0]).map((a) => this.accountInfo(address(a), encodingOf(params[1]))),
        );
      case "getBalance":
        return this.withContext(Number(this.svm.getBalance(address(params[0])) ?? 0n));
      case "getTokenAccountBalance":
        return this.withContext(this.tokenBalance(address(params[0])));
      case "getMinimumBalanceForRentExemption":
        return Number(this.svm.minimumBalanceForRentExemption(BigInt(integer(params[0]))));
      case "getFeeForMessage":
        return this.withContext(feeForMessage(stringParam(params[0])));
      case "simulateTransaction":
        return this.withContext(this.simulate(stringParam(params[0]), objectParam(params[1])));
      case "sendTransaction":
        return this.send(stringParam(params[0]), objectParam(params[1]));
      case "getSignatureStatuses":
        return this.withContext(arrayParam(params[0]).map((s) => this.status(stringParam(s))));
      case "getTransaction":
        return this.transaction(stringParam(params[0]));
      case "requestAirdrop":
        return this.airdrop(address(params[0]), BigInt(integer(params[1])));
      default:
        throw new RpcMethodError(-32601, `Method not found: ${method}`);
    }
  }

  private slot(): number {
    return Number(this.svm.getClock().slot);
  }

  private withContext<T>(value: T): { context: { slot: number; apiVersion: string }; value: T } {
    return { context: { slot: this.slot(), apiVersion: "2.3.0" }, value };
  }

  private accountInfo(at: Address, encoding: string) {
    const account = this.svm.getAccount(at);
    if (!account.exists) return null;
    const data = account.data;
    return {
      data:
        encoding === "base58"
          ? [bytesToBase58.decode(data), "base58"]
          : [Buffer.from(data).toString("base64"), "base64"],
      executable: account.executable,
      lamports: Number(account.lamports),
      owner: account.programAddress,
      rentEpoch: 0,
      space: data.length,
    };
  }

  private tokenBalance(at: Address) {
    const account = this.svm.getAccount(at);
    const token = account.exists ? decodeTokenAccount(account.data) : undefined;
    if (!account.exists || !token) throw new RpcMethodError(-32602, "Invalid param: could not find account");
    const mint = this.svm.getAccount(token.mint);
    const decimals = (mint.exists ? decodeMint(mint.data)?.decimals : undefined) ?? 0;
    const ui = Number(token.amount) / 10 ** decimals;
    return { amount: String(token.amount), decimals, uiAmount: ui, uiAmountString: String(ui) };
  }

  private simulate(wire: string, config: Record<string, unknown>) {
    const tx = decodeTransaction(wire, config.encoding);
    if (this.landed.has(messageKey(tx)))
      return { err: "AlreadyProcessed", logs: [], unitsConsumed: 0, accounts: null, returnData: null };
    const sigVerify = config.sigVerify === true;
    const before = this.svm.withSigverify(sigVerify);
    try {
      const result = before.simulateTransaction(tx);
      const meta = result.meta();
      return {
        err: "err" in result ? toRpcError(result) : null,
        logs: meta.logs(),
        unitsConsumed: Number(meta.computeUnitsConsumed()),
        accounts: null,
        returnData: null,
        innerInstructions: config.innerInstructions === true ? [] : null,
      };
    } catch (error) {
      return {
        err: "SignatureFailure",
        logs: [String(error)],
        unitsConsumed: 0,
        accounts: null,
        returnData: null,
      };
    } finally {
      this.svm.withSigverify(true);
    }
  }

  private send(wire: string, config: Record<string, unknown>): string {
    const tx = decodeTransaction(wire, config.encoding);
    const signature = firstSignature(tx);
    const message = messageKey(tx);
    if (this.landed.has(message)) {
      // A node answers a copy's signature without preflight and drops the copy; preflight refuses it.
      if (config.skipPreflight === true) return signature;
      throw new RpcMethodError(
        -32002,
        "Transaction simulation failed: This transaction has already been processed",
        {
          err: "AlreadyProcessed",
          logs: [],
        },
      );
    }
    let result: ReturnType<LiteSVM["sendTransaction"]>;
    try {
      result = this.svm.sendTransaction(tx);
    } catch (error) {
      throw new RpcMethodError(-32003, `Transaction signature verification failure: ${String(error)}`);
    }
    const err = "err" in result ? toRpcError(result) : null;
    const logs = "err" in result ? result.meta().logs() : result.logs();
    // As a node's preflight would: a transaction that never executes is refused, not recorded.
    if (err !== null && (typeof err === "string" || config.skipPreflight !== true))
      throw new RpcMethodError(-32002, `Transaction simulation failed: ${JSON.stringify(err)}`, {
        err,
        logs,
      });
    const slot = this.slot();
    const fee = Number(LAMPORTS_PER_SIGNATURE) * Object.keys(tx.signatures).length;
    this.landed.add(message);
    this.sent.set(signature, {
      slot,
      err,
      bytes: new Uint8Array(base64.encode(wire)),
      fee,
      logs,
    });
    // Next slot: like a cluster, each landed transaction is followed by a new block.
    this.svm.warpToSlot(BigInt(slot + 1));
    return signature;
  }

  private status(signature: string) {
    const sent = this.sent.get(signature);
    if (!sent) return null;
    return {
      slot: sent.slot,
      confirmations: null,
      err: sent.err,
      status: sent.err === null ? { Ok: null } : { Err: sent.err },
      confirmationStatus: "finalized",
    };
  }

  private transaction(signature: string) {
    const sent = this.sent.get(signature);
    if (!sent) return null;
    return {
      slot: sent.slot,
      blockTime: Math.floor(Date.now() / 1000),
      meta: {
        err: sent.err,
        fee: sent.fee,
        logMessages: sent.logs,
        innerInstructions: [],
        preBalances: [],
        postBalances: [],
      },
      transaction: [Buffer.from(sent.bytes).toString("base64"), "base64"],
      version: 0,
    };
  }

  private airdrop(to: Address, lamports: bigint): string {
    const result = this.svm.airdrop(to, lamports as never);
    if (!result || "err" in result) throw new RpcMethodError(-32603, "airdrop failed");
    return bytesToBase58.decode(result.signature()) as Signature;
  }
}

function decodeTransaction(wire: string, encoding: unknown): Transaction {
  try {
    const bytes = encoding === "base64" ? base64.encode(wire) : base58ToBytes.encode(wire);
    return txDecoder.decode(bytes);
  } catch (error) {
    throw new RpcMethodError(-32602, `invalid transaction: ${String(error)}`);
  }
}

function messageKey(tx: Transaction): string {
  return createHash("sha256")
    .update(tx.messageBytes as unknown as Uint8Array)
    .digest("base64");
}

function firstSignature(tx: Transaction): string {
  const first = Object.values(tx.signatures)[0];
  if (!first) throw new RpcMethodError(-32003, "Transaction signature verification failure");
  return bytesToBase58.decode(first);
}

function feeForMessage(message: string): number | null {
  try {
    const bytes = base64.encode(message);
    // A v0 message starts with 0x80; the header's first byte is the required signature count.
    const header = (bytes[0] ?? 0) & 0x80 ? bytes[1] : bytes[0];
    return Number(LAMPORTS_PER_SIGNATURE) * (header ?? 0);
  } catch {
    return null;
  }
}

function address(value: unknown): Address {
  if (typeof value !== "string" || !/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(value))
    throw new RpcMethodError(-32602, "Invalid param: not a base58 address");
  return value as Address;
}
function stringParam(value: unknown): string {
  if (typeof value !== "string") throw new RpcMethodError(-32602, "Invalid param: expected a string");
  return value;
}
function arrayParam(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new RpcMethodError(-32602, "Invalid param: expected an array");
  return value;
}
function objectParam(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}
function integer(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw new RpcMethodError(-32602, "Invalid param: expected a non-negative integer");
  return value;
}
function encodingOf(config: unknown): string {
  const encoding = objectParam(config).encoding;
  return typeof encoding === "string" ? encoding : "base58";
}
