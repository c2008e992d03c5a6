import type {
  Account,
  AccountAuthenticator,
  PendingTransactionResponse,
  PublicKey,
  SimpleTransaction,
} from "@aptos-labs/ts-sdk";
import { AccountAddress, AptosApiError } from "@aptos-labs/ts-sdk";
import { X402Error } from "@x402kit/core";
import { createAptosClient } from "../../aptosClient.js";

/**
 * What the facilitator scheme needs from the chain and its fee-payer accounts. The official
 * `FacilitatorAptosSigner` members, plus the sender's public key for simulation, a balance read
 * and signing as fee payer without submitting (all optional to implement). Without
 * `signAsFeePayer` a sponsored settlement is recorded only after submission (a crash in
 * between loses track of it); with it, the hash is recorded before anything is sent.
 *
 * @example
 * ```ts
 * const signer: FacilitatorAptosSigner = toFacilitatorAptosSigner(feePayer, { defaultRpcUrl: nodeUrl });
 * ```
 */
export interface FacilitatorAptosSigner {
  /** Long-form addresses of the fee-payer accounts. */
  getAddresses(): readonly string[];
  /** Co-sign as the transaction's fee payer (one of {@link getAddresses}) and submit. */
  signAndSubmitAsFeePayer(
    transaction: SimpleTransaction,
    senderAuthenticator: AccountAuthenticator,
    network: string,
  ): Promise<PendingTransactionResponse>;
  /**
   * Sign as the transaction's fee payer without submitting. Must give the signature
   * `signAndSubmitAsFeePayer` submits (Ed25519 is deterministic), so the hash is known first.
   */
  signAsFeePayer?(transaction: SimpleTransaction, network: string): AccountAuthenticator;
  /** Submit a transaction the sender pays for. */
  submitTransaction(
    transaction: SimpleTransaction,
    senderAuthenticator: AccountAuthenticator,
    network: string,
  ): Promise<PendingTransactionResponse>;
  /** Dry-run; throws {@link AptosSimulationError} when the VM would not succeed. */
  simulateTransaction(
    transaction: SimpleTransaction,
    network: string,
    senderPublicKey?: PublicKey,
  ): Promise<void>;
  /**
   * Resolve once the transaction committed successfully. Throw {@link AptosTransactionFailedError}
   * when it committed and failed, {@link AptosTransactionPendingError} when the node does not
   * show it committed (pending, or unknown: HTTP 404) by the end of the wait; any other error
   * counts as "unknown", never as a failure.
   */
  waitForTransaction(txHash: string, network: string): Promise<void>;
  /** The owner's balance of a fungible asset (atomic units). */
  getBalance?(owner: string, asset: string, network: string): Promise<bigint>;
}

/**
 * A simulation the VM did not accept; `vmStatus` is the node's status text.
 *
 * @example
 * ```ts
 * throw new AptosSimulationError("SEQUENCE_NUMBER_TOO_OLD");
 * ```
 */
export class AptosSimulationError extends Error {
  override readonly name = "AptosSimulationError";
  constructor(readonly vmStatus: string) {
    super(`Simulation failed: ${vmStatus}`);
  }
}

/**
 * The wait ended before the transaction was committed (it may still be).
 *
 * @example
 * ```ts
 * throw new AptosTransactionPendingError(hash);
 * ```
 */
export class AptosTransactionPendingError extends Error {
  override readonly name = "AptosTransactionPendingError";
  constructor(readonly hash: string) {
    super(`transaction ${hash} is not committed yet`);
  }
}

/**
 * The transaction committed, and the VM did not execute it successfully (final: its sequence
 * number is spent, nothing was transferred).
 *
 * @example
 * ```ts
 * throw new AptosTransactionFailedError(hash, "Move abort in 0x1::fungible_asset: EINSUFFICIENT_BALANCE(0x10004)");
 * ```
 */
export class AptosTransactionFailedError extends Error {
  override readonly name = "AptosTransactionFailedError";
  constructor(
    readonly hash: string,
    readonly vmStatus: string,
  ) {
    super(`transaction ${hash} failed: ${vmStatus}`);
  }
}

/**
 * Where {@link toFacilitatorAptosSigner} finds nodes: `defaultRpcUrl` for every network (the
 * official option), else per-network URLs, else the network table.
 *
 * @example
 * ```ts
 * const rpc: FacilitatorAptosRpcConfig = { rpcUrls: { "aptos:4": "http://127.0.0.1:8080/v1" }, waitTimeoutSeconds: 20 };
 * ```
 */
export interface FacilitatorAptosRpcConfig {
  defaultRpcUrl?: string;
  rpcUrls?: Readonly<Record<string, string>>;
  /** How long `waitForTransaction` waits; default 20 s. */
  waitTimeoutSeconds?: number;
}

/**
 * A {@link FacilitatorAptosSigner} from SDK accounts (each can sponsor), talking to the
 * fullnode REST API through the SDK. `config` may also be the official per-network map
 * (`{ "aptos:2": url }`).
 *
 * @example
 * ```ts
 * const signer = toFacilitatorAptosSigner(Account.fromPrivateKey({ privateKey }), { defaultRpcUrl: "http://127.0.0.1:8080/v1" });
 * ```
 */
export function toFacilitatorAptosSigner(
  accounts: Account | readonly Account[],
  config: FacilitatorAptosRpcConfig | Readonly<Record<string, string>> = {},
): FacilitatorAptosSigner {
  const rpcConfig = normaliseRpcConfig(config);
  const list: readonly Account[] = Array.isArray(accounts) ? accounts : [accounts as Account];
  if (list.length === 0)
    throw new X402Error("invalid_facilitator_config", "at least one fee-payer account is needed");
  const clients = new Map<string, ReturnType<typeof createAptosClient>>();
  const aptosFor = (network: string) => {
    let client = clients.get(network);
    if (!client) {
      client = createAptosClient(network, rpcConfig.defaultRpcUrl ?? rpcConfig.rpcUrls?.[network]);
      clients.set(network, client);
    }
    return client;
  };
  const accountOf = (address: AccountAddress | undefined) => {
    const account = address && list.find((a) => a.accountAddress.equals(address));
    if (!account)
      throw new X402Error("invalid_payload", "the transaction's fee payer is not one of our accounts");
    return account;
  };
  return {
    getAddresses: () => list.map((a) => a.accountAddress.toStringLong()),
    signAsFeePayer(transaction, network) {
      return aptosFor(network).transaction.signAsFeePayer({
        signer: accountOf(transaction.feePayerAddress),
        transaction,
      });
    },
    async signAndSubmitAsFeePayer(transaction, senderAuthenticator, network) {
      const aptos = aptosFor(network);
      const signer = accountOf(transaction.feePayerAddress);
      const feePayerAuthenticator = aptos.transaction.signAsFeePayer({ signer, transaction });
      return aptos.transaction.submit.simple({ transaction, senderAuthenticator, feePayerAuthenticator });
    },
    async submitTransaction(transaction, senderAuthenticator, network) {
      return aptosFor(network).transaction.submit.simple({ transaction, senderAuthenticator });
    },
    async simulateTransaction(transaction, network, senderPublicKey) {
      const feePayer = transaction.feePayerAddress
        ? list.find((a) => a.accountAddress.equals(transaction.feePayerAddress as AccountAddress))
        : undefined;
      const [result] = await aptosFor(network).transaction.simulate.simple({
        transaction,
        ...(senderPublicKey ? { signerPublicKey: senderPublicKey } : {}),
        ...(feePayer ? { feePayerPublicKey: feePayer.publicKey } : {}),
      });
      if (!result?.success) throw new AptosSimulationError(result?.vm_status ?? "no simulation result");
    },
    async waitForTransaction(txHash, network) {
      let committed: { success?: boolean; vm_status?: string };
      try {
        committed = await aptosFor(network).waitForTransaction({
          transactionHash: txHash,
          options: { timeoutSecs: rpcConfig.waitTimeoutSeconds ?? 20, checkSuccess: false },
        });
      } catch (error) {
        // The SDK's WaitForTransactionError (not exported) carries the last response seen; a
        // node that answered 404 all along (not propagated yet, or not received) ends in a 404.
        if (error instanceof Error && "lastSubmittedTransaction" in error)
          throw new AptosTransactionPendingError(txHash);
        if (error instanceof AptosApiError && error.status === 404)
          throw new AptosTransactionPendingError(txHash);
        throw error;
      }
      if (committed.success !== true)
        throw new AptosTransactionFailedError(txHash, committed.vm_status ?? "no VM status");
    },
    async getBalance(owner, asset, network) {
      // Read as text: the SDK parses the u64 into a JS number, inexact beyond 2^53.
      const base = (aptosFor(network).config.fullnode ?? "").replace(/\/+$/, "");
      const account = AccountAddress.from(owner).toStringLong();
      const metadata = AccountAddress.from(asset).toStringLong();
      const response = await fetch(`${base}/accounts/${account}/balance/${metadata}`);
      const text = (await response.text()).trim();
      if (!response.ok || !/^"?\d{1,20}"?$/.test(text))
        throw new X402Error("unexpected_verify_error", `no balance from the node (HTTP ${response.status})`);
      return BigInt(text.replaceAll('"', ""));
    },
  };
}

/** The official shape `{ "aptos:2": url }` is accepted too. */
function normaliseRpcConfig(
  config: FacilitatorAptosRpcConfig | Readonly<Record<string, string>>,
): FacilitatorAptosRpcConfig {
  const entries = Object.entries(config).filter(([key]) => key.startsWith("aptos:"));
  if (entries.length === 0) return config as FacilitatorAptosRpcConfig;
  const known = config as FacilitatorAptosRpcConfig;
  return { ...known, rpcUrls: { ...Object.fromEntries(entries), ...known.rpcUrls } };
}
