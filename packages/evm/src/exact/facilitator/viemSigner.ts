import { X402Error } from "@x402kit/core";
import type { KeyValueStore } from "@x402kit/core/storage";
import {
  type Account,
  type Chain,
  type LocalAccount,
  type PublicClient,
  publicActions,
  TransactionReceiptNotFoundError,
  type Transport,
  type WalletClient,
} from "viem";
import { GasFees, type GasPriceBounds } from "./gasBounds.js";
import { NonceManager } from "./nonceManager.js";
import { type EthCallClient, rawEthCall } from "./rawEthCall.js";
import { SendJournal } from "./sendJournal.js";
import { type LocalSender, rebroadcast, repairNonceGap, sendSigned } from "./sendSigned.js";
import type {
  EvmCallResult,
  EvmTransactionRequest,
  FacilitatorEvmSigner,
  SendTransactionHooks,
} from "./signer.js";
import { revertText } from "./viemErrors.js";

/**
 * Options of {@link toFacilitatorEvmSigner}.
 *
 * @example
 * ```ts
 * const options: FacilitatorEvmSignerOptions = { gasBounds: { maxFeePerGasWei: 100_000_000_000n } };
 * ```
 */
export interface FacilitatorEvmSignerOptions {
  /** Gas price cap and priority fee of settlement transactions. */
  gasBounds?: GasPriceBounds;
  /** Told each time the node refused a nonce and the send was retried with a fresh one. */
  onNonceRetry?: (error: unknown) => void;
  /** Journal every signed transaction here by nonce, so a dropped one can be sent again ({@link FacilitatorEvmSigner.repairNonces}). */
  journal?: KeyValueStore;
  /** A send waiting longer than this for its account's turn gives up, nothing signed. Default 20 000 ms. */
  maxQueueWaitMs?: number;
}

/**
 * viem clients of one facilitator account on one chain.
 *
 * @example
 * ```ts
 * const clients: ViemFacilitatorClients = { walletClient, publicClient };
 * ```
 */
export interface ViemFacilitatorClients {
  /** Must carry an `account` (e.g. `privateKeyToAccount(key)`) and a `chain`. */
  walletClient: WalletClient<Transport, Chain | undefined, Account | undefined>;
  /** Reads and receipts; default: the wallet client extended with public actions. */
  publicClient?: PublicClient;
}

/**
 * What {@link toFacilitatorEvmSigner} accepts: `{ walletClient, publicClient? }`, or one viem
 * client with an account and a chain, as the official examples pass it
 * (`{ ...walletClient.extend(publicActions), address }` or the client itself).
 *
 * @example
 * ```ts
 * const source: FacilitatorEvmSignerSource = createWalletClient({ account, chain: base, transport: http() }).extend(publicActions);
 * ```
 */
export type FacilitatorEvmSignerSource =
  | ViemFacilitatorClients
  | (ViemFacilitatorClients["walletClient"] & { address?: `0x${string}` });

/**
 * Build a {@link FacilitatorEvmSigner} from viem clients. A local account (a private key) has
 * its own nonce sequence ({@link NonceManager}: started from the node's pending count, so a
 * restart continues after its own queued transactions, and re-read after any failed send);
 * each send estimates gas and picks fees within `options.gasBounds` concurrently, then signs,
 * lets the caller record the signed transaction (`hooks.onSigned`) and broadcasts, one at a
 * time per account. A node-held account lets the node sign, one send at a time.
 *
 * @throws {X402Error} `invalid_facilitator_config` without an account or a chain.
 * @example
 * ```ts
 * const walletClient = createWalletClient({ account: privateKeyToAccount(key), chain: base, transport: http(rpcUrl) });
 * const signer = toFacilitatorEvmSigner({ walletClient });
 * // or, as in the official examples:
 * const same = toFacilitatorEvmSigner({ ...walletClient.extend(publicActions), address: walletClient.account.address });
 * ```
 */
export function toFacilitatorEvmSigner(
  source: FacilitatorEvmSignerSource,
  options: FacilitatorEvmSignerOptions = {},
): FacilitatorEvmSigner {
  if (typeof source !== "object" || source === null)
    throw new X402Error("invalid_facilitator_config", "expected viem clients");
  const { walletClient, publicClient }: ViemFacilitatorClients =
    "walletClient" in source ? source : { walletClient: source as ViemFacilitatorClients["walletClient"] };
  if (typeof walletClient?.request !== "function")
    throw new X402Error(
      "invalid_facilitator_config",
      "expected a viem wallet client (with an account and a chain)",
    );
  const account = walletClient.account;
  const chain = walletClient.chain ?? publicClient?.chain;
  if (!account) throw new X402Error("invalid_facilitator_config", "the wallet client needs an account");
  if (!chain) throw new X402Error("invalid_facilitator_config", "the wallet or public client needs a chain");
  const reader = (publicClient ?? walletClient.extend(publicActions)) as PublicClient;
  const fees = new GasFees(reader, options.gasBounds);
  const nonces = new NonceManager(
    () => reader.getTransactionCount({ address: account.address, blockTag: "pending" }),
    options.maxQueueWaitMs,
  );
  const sender: LocalSender | undefined =
    account.type === "local"
      ? {
          reader,
          account: account as LocalAccount,
          chainId: chain.id,
          fees,
          nonces,
          ...(options.onNonceRetry ? { onNonceRetry: options.onNonceRetry } : {}),
          ...(options.journal ? { journal: new SendJournal(options.journal, chain.id) } : {}),
        }
      : undefined;
  const sendLocal = sender
    ? (request: EvmTransactionRequest, hooks?: SendTransactionHooks) => sendSigned(sender, request, hooks)
    : undefined;
  const repairNonces = async (sent?: { from: `0x${string}`; nonce: number }) => {
    if (!sender) return 0;
    const ours = sent && sent.from.toLowerCase() === account.address.toLowerCase();
    return repairNonceGap(sender, ours ? sent.nonce : undefined);
  };
  return {
    address: account.address,
    chainId: chain.id,
    getCode: (address) => reader.getCode({ address }),
    // A raw eth_call: viem's call action costs as much CPU again (see rawEthCall).
    call: ({ to, data }): Promise<EvmCallResult> =>
      rawEthCall(reader as EthCallClient, account.address, to, data),
    async sendTransaction(request, hooks) {
      const { to, data, value, from } = request;
      if (from && from.toLowerCase() !== account.address.toLowerCase())
        throw new Error(`this signer holds ${account.address}, not ${from}`);
      if (sendLocal) return sendLocal(request, hooks);
      // A node-held account: the node picks the nonce; one send at a time keeps them distinct.
      const picked = await fees.pick();
      return nonces.run(async () => {
        try {
          return await walletClient.sendTransaction({ account, chain, to, data, value, ...picked } as never);
        } catch (error) {
          throw new Error(revertText(error), { cause: error });
        }
      });
    },
    async waitForTransactionReceipt(hash, timeout) {
      try {
        const receipt = await reader.waitForTransactionReceipt({ hash, timeout });
        return { status: receipt.status, logs: receipt.logs };
      } catch (error) {
        // No receipt in time: a dropped earlier nonce may hold it back. Fill the gap now.
        await repairNonces().catch(() => undefined);
        throw error;
      }
    },
    async getTransactionReceipt(hash) {
      try {
        const receipt = await reader.getTransactionReceipt({ hash });
        return { status: receipt.status, logs: receipt.logs };
      } catch (error) {
        if (error instanceof TransactionReceiptNotFoundError) return undefined;
        throw error;
      }
    },
    async isTransactionKnown(hash) {
      const found = await reader.request({ method: "eth_getTransactionByHash", params: [hash] });
      return found !== null && found !== undefined;
    },
    getMinedNonce: (address) => reader.getTransactionCount({ address, blockTag: "latest" }),
    rebroadcast: (serialized) => rebroadcast(reader, serialized),
    repairNonces,
  };
}

/**
 * One signer over several accounts of the same chain: settlements are sent from each in
 * turn (so one account's nonce queue does not limit throughput); reads use the first.
 *
 * @throws {X402Error} `invalid_facilitator_config` for no signers or signers of different chains.
 * @example
 * ```ts
 * const signer = combineFacilitatorEvmSigners(keys.map((key) => toFacilitatorEvmSigner({ walletClient: walletFor(key) })));
 * ```
 */
export function combineFacilitatorEvmSigners(signers: readonly FacilitatorEvmSigner[]): FacilitatorEvmSigner {
  const [first] = signers;
  if (!first) throw new X402Error("invalid_facilitator_config", "at least one signer is required");
  if (signers.length === 1) return first;
  if (signers.some((signer) => signer.chainId !== first.chainId))
    throw new X402Error("invalid_facilitator_config", "combined signers must be on the same chain");
  let turn = 0;
  const inFlight = signers.map(() => 0);
  return {
    address: first.address,
    addresses: signers.map((signer) => signer.address),
    chainId: first.chainId,
    getCode: (address) => first.getCode(address),
    call: (request) => first.call(request),
    async sendTransaction(request, hooks) {
      let index: number;
      if (request.from) {
        const wanted = request.from.toLowerCase();
        index = signers.findIndex((signer) => signer.address.toLowerCase() === wanted);
        if (index < 0) throw new Error(`no signer holds ${request.from}`);
      } else {
        // The least busy account (its own sends waiting for their turn); ties go round-robin.
        const start = turn++;
        index = start % signers.length;
        for (let step = 1; step < signers.length; step++) {
          const candidate = (start + step) % signers.length;
          if ((inFlight[candidate] as number) < (inFlight[index] as number)) index = candidate;
        }
      }
      inFlight[index] = (inFlight[index] as number) + 1;
      try {
        return await (signers[index] as FacilitatorEvmSigner).sendTransaction(request, hooks);
      } finally {
        inFlight[index] = (inFlight[index] as number) - 1;
      }
    },
    waitForTransactionReceipt: async (hash, timeoutMs) => {
      try {
        return await first.waitForTransactionReceipt(hash, timeoutMs);
      } catch (error) {
        // The transaction may be any account's: check every account's nonces, not only the first's.
        await Promise.all(signers.slice(1).map((one) => one.repairNonces?.().catch(() => 0)));
        throw error;
      }
    },
    ...optionalReads(first),
    repairNonces: async (sent) => {
      const wanted = sent?.from.toLowerCase();
      const which = wanted ? signers.filter((one) => one.address.toLowerCase() === wanted) : signers;
      const counts = await Promise.all(which.map((one) => one.repairNonces?.(sent) ?? 0));
      return counts.reduce((sum, count) => sum + count, 0);
    },
  };
}

/** The optional read members of `signer`, bound, when it has them. */
function optionalReads(signer: FacilitatorEvmSigner): Partial<FacilitatorEvmSigner> {
  return {
    ...(signer.getTransactionReceipt && { getTransactionReceipt: signer.getTransactionReceipt.bind(signer) }),
    ...(signer.isTransactionKnown && { isTransactionKnown: signer.isTransactionKnown.bind(signer) }),
    ...(signer.getMinedNonce && { getMinedNonce: signer.getMinedNonce.bind(signer) }),
    ...(signer.rebroadcast && { rebroadcast: signer.rebroadcast.bind(signer) }),
  };
}
