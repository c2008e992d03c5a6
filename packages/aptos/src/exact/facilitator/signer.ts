import type {
  Account,
  AccountAuthenticator,
  PendingTransactionResponse,
  PublicKey,
  SimpleTransaction,
} from "@aptos-labs/ts-sdk";
import { AccountAddress } from "@aptos-labs/ts-sdk";
import { X402Error } from "@x402kit/core";
import { createAptosClient } from "../../aptosClient.js";

/**
 * What the facilitator scheme needs from the chain and its fee-payer accounts. The official
 * `FacilitatorAptosSigner` members, plus the sender's public key for simulation and a balance
 * read (both optional to implement).
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
  /** Resolve once the transaction committed successfully; throw otherwise. */
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
      try {
        await aptosFor(network).waitForTransaction({
          transactionHash: txHash,
          options: { timeoutSecs: rpcConfig.waitTimeoutSeconds ?? 20 },
        });
      } catch (error) {
        // The SDK's WaitForTransactionError (not exported) carries the last response seen.
        if (error instanceof Error && "lastSubmittedTransaction" in error)
          throw new AptosTransactionPendingError(txHash);
        throw error;
      }
    },
    async getBalance(owner, asset, network) {
      return BigInt(
        await aptosFor(network).getBalance({ accountAddress: owner, asset: AccountAddress.from(asset) }),
      );
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
