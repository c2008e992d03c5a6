import type { Address, MessagePartialSigner, SignatureBytes, TransactionSigner } from "@solana/kit";
import {
  CONFIRM_TIMEOUT_MS,
  DEVNET_RPC_URL,
  MAINNET_RPC_URL,
  RPC_TIMEOUT_MS,
  SOLANA_DEVNET_CAIP2,
  SOLANA_MAINNET_CAIP2,
  TESTNET_RPC_URL,
} from "../../constants.js";
import { base64ToBytes, bytesToBase64 } from "../../encoding.js";
import { createJsonRpcCall, type JsonRpcCall } from "../../jsonRpc.js";
import { normalizeNetwork } from "../../network.js";
import type { SvmRpc } from "../../rpc.js";
import { decodeWireTransaction, encodeWireTransaction } from "../../wireTransaction.js";

/**
 * Options of {@link FacilitatorSvmSigner.simulateTransaction} (the RPC's simulate config).
 *
 * @example
 * ```ts
 * await signer.simulateTransaction(tx, network, { sigVerify: false, commitment: "confirmed" });
 * ```
 */
export interface FacilitatorSimulateTransactionOptions {
  sigVerify?: boolean;
  replaceRecentBlockhash?: boolean;
  commitment?: string;
  encoding?: string;
}

/**
 * What the SVM facilitator needs from its keys and its RPC: the official `FacilitatorSvmSigner`
 * shape (its required methods), so the official `toFacilitatorSvmSigner` output fits too.
 *
 * @example
 * ```ts
 * const signer: FacilitatorSvmSigner = toFacilitatorSvmSigner(keypair, { defaultRpcUrl });
 * ```
 */
export interface FacilitatorSvmSigner {
  /** Every fee-payer address this facilitator signs for. */
  getAddresses(): readonly Address[];
  /** Co-sign a base64 transaction as `feePayer`; returns the base64 transaction. */
  signTransaction(transaction: string, feePayer: Address, network: string): Promise<string>;
  /** Simulate; throws when the simulation reports an error. */
  simulateTransaction(
    transaction: string,
    network: string,
    options?: FacilitatorSimulateTransactionOptions,
  ): Promise<void>;
  /** Broadcast; returns the base58 signature. */
  sendTransaction(transaction: string, network: string): Promise<string>;
  /**
   * Wait until confirmed. Throws {@link TransactionOnchainFailureError} when it landed and
   * failed (terminal), any other error when the outcome is unknown (timeout).
   */
  confirmTransaction(signature: string, network: string): Promise<void>;
}

/**
 * The transaction reached the chain and failed there: a definite, terminal outcome.
 *
 * @example
 * ```ts
 * if (error instanceof TransactionOnchainFailureError) releaseDuplicateGuard();
 * ```
 */
export class TransactionOnchainFailureError extends Error {
  constructor(
    readonly signature: string,
    readonly onchainError: unknown,
  ) {
    super(`transaction ${signature} failed on chain: ${stringify(onchainError)}`);
    this.name = "TransactionOnchainFailureError";
  }
}

/**
 * A kit RPC client, one per network, or `{ defaultRpcUrl }` for every network.
 *
 * @example
 * ```ts
 * const config: FacilitatorRpcConfig = { defaultRpcUrl: "http://127.0.0.1:8899" };
 * ```
 */
export type FacilitatorRpcConfig = SvmRpc | Record<string, SvmRpc> | { defaultRpcUrl?: string };

/**
 * Timing of {@link toFacilitatorSvmSigner}'s confirmation wait.
 *
 * @example
 * ```ts
 * toFacilitatorSvmSigner(keypair, { defaultRpcUrl }, { confirmTimeoutMs: 20_000 });
 * ```
 */
export interface FacilitatorSignerOptions {
  /** Give up waiting for confirmation after this long (the outcome is then unknown). Default 30 s. */
  confirmTimeoutMs?: number;
}

type FeePayerSigner = TransactionSigner & MessagePartialSigner;

/**
 * A {@link FacilitatorSvmSigner} from kit signers (one or several fee payers) and an RPC
 * config: one kit RPC client for all networks, one per CAIP-2 network, or `{ defaultRpcUrl }`
 * (else the clusters' public endpoints); every RPC call times out after 10 s. Confirmation polls `getSignatureStatuses` every
 * 250 ms for 2 s, then every second, until `confirmed`.
 *
 * @example
 * ```ts
 * const signer = toFacilitatorSvmSigner(await createKeyPairSignerFromBytes(secret), { defaultRpcUrl: "http://127.0.0.1:8899" });
 * ```
 */
export function toFacilitatorSvmSigner(
  signers: FeePayerSigner | readonly FeePayerSigner[],
  rpcConfig?: FacilitatorRpcConfig,
  options: FacilitatorSignerOptions = {},
): FacilitatorSvmSigner {
  const list = (Array.isArray(signers) ? signers : [signers]) as FeePayerSigner[];
  const byAddress = new Map(list.map((s) => [s.address as string, s]));
  const rpcs = new Map<string, JsonRpcCall>();
  const rpcFor = (network: string): JsonRpcCall => {
    const caip2 = normalizeNetwork(network);
    let rpc = rpcs.get(caip2);
    if (!rpc) {
      rpc = pickRpc(rpcConfig, caip2);
      rpcs.set(caip2, rpc);
    }
    return rpc;
  };
  const confirmTimeoutMs = options.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS;
  return {
    getAddresses: () => list.map((s) => s.address),
    async signTransaction(transaction, feePayer) {
      const signer = byAddress.get(feePayer);
      if (!signer) throw new Error(`no signer for fee payer ${feePayer}`);
      const tx = decodeWireTransaction(base64ToBytes(transaction));
      const slot = tx.staticAccounts.indexOf(feePayer);
      if (slot < 0 || slot >= tx.numRequiredSignatures)
        throw new Error(`${feePayer} is not a signer of the transaction`);
      const [dictionary] = await signer.signMessages([{ content: tx.messageBytes, signatures: {} }]);
      const signature = dictionary?.[feePayer] as SignatureBytes | undefined;
      if (!signature) throw new Error(`the signer of ${feePayer} returned no signature`);
      const signatures = tx.signatures.map((s, i) => (i === slot ? new Uint8Array(signature) : s));
      return bytesToBase64(encodeWireTransaction(signatures, tx.messageBytes));
    },
    async simulateTransaction(transaction, network, simulate = {}) {
      const { value } = (await rpcFor(network)("simulateTransaction", [
        transaction,
        {
          sigVerify: simulate.sigVerify ?? false,
          replaceRecentBlockhash: simulate.replaceRecentBlockhash ?? false,
          commitment: simulate.commitment ?? "confirmed",
          encoding: "base64",
        },
      ])) as { value: { err: unknown } };
      if (value.err) throw new Error(`simulation failed: ${stringify(value.err)}`);
    },
    async sendTransaction(transaction, network) {
      return (await rpcFor(network)("sendTransaction", [
        transaction,
        { encoding: "base64", skipPreflight: true, preflightCommitment: "confirmed" },
      ])) as string;
    },
    async confirmTransaction(signature, network) {
      const rpc = rpcFor(network);
      const started = Date.now();
      for (;;) {
        const { value } = (await rpc("getSignatureStatuses", [[signature]])) as {
          value: Array<{ err: unknown; confirmationStatus?: string } | null>;
        };
        const status = value[0];
        if (status?.err) throw new TransactionOnchainFailureError(signature, status.err);
        if (
          status &&
          (status.confirmationStatus === "confirmed" || status.confirmationStatus === "finalized")
        )
          return;
        const waited = Date.now() - started;
        if (waited >= confirmTimeoutMs)
          throw new Error(`transaction ${signature} not confirmed after ${waited} ms`);
        await new Promise((resolve) => setTimeout(resolve, waited < 2_000 ? 250 : 1_000));
      }
    },
  };
}

function pickRpc(config: FacilitatorRpcConfig | undefined, network: string): JsonRpcCall {
  const publicUrl =
    network === SOLANA_MAINNET_CAIP2
      ? MAINNET_RPC_URL
      : network === SOLANA_DEVNET_CAIP2
        ? DEVNET_RPC_URL
        : TESTNET_RPC_URL;
  if (!config) return createJsonRpcCall(publicUrl);
  if (isRpc(config)) return kitCall(config);
  if (
    "defaultRpcUrl" in config &&
    (typeof config.defaultRpcUrl === "string" || config.defaultRpcUrl === undefined)
  )
    return createJsonRpcCall((config.defaultRpcUrl as string | undefined) ?? publicUrl);
  const perNetwork = (config as Record<string, SvmRpc>)[network];
  return perNetwork && isRpc(perNetwork) ? kitCall(perNetwork) : createJsonRpcCall(publicUrl);
}

/** A kit RPC client seen as a {@link JsonRpcCall} (its methods are the JSON-RPC methods). */
function kitCall(rpc: SvmRpc): JsonRpcCall {
  return (method, params) =>
    (rpc as unknown as Record<string, (...args: unknown[]) => { send(config?: unknown): Promise<unknown> }>)[
      method
    ]!(...params).send({ abortSignal: AbortSignal.timeout(RPC_TIMEOUT_MS) });
}

function isRpc(value: unknown): value is SvmRpc {
  return typeof (value as { simulateTransaction?: unknown })?.simulateTransaction === "function";
}

function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? Number(v) : v));
}
