import { X402Error } from "@x402kit/core";
import {
  type Account,
  BaseError,
  type Chain,
  ContractFunctionRevertedError,
  ExecutionRevertedError,
  keccak256,
  type PublicClient,
  publicActions,
  RawContractError,
  RpcRequestError,
  TransactionExecutionError,
  type Transport,
  type WalletClient,
} from "viem";
import { BroadcastUncertainError, type EvmCallResult, type FacilitatorEvmSigner } from "./signer.js";

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
 * Build a {@link FacilitatorEvmSigner} from viem clients. Broadcasts from one signer are
 * serialised so concurrent settlements get distinct nonces, and local accounts sign before
 * sending so a transaction lost in transit can still be followed by its hash.
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
export function toFacilitatorEvmSigner(source: FacilitatorEvmSignerSource): FacilitatorEvmSigner {
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
  const reader = publicClient ?? walletClient.extend(publicActions);
  let lastSend: Promise<unknown> = Promise.resolve();
  return {
    address: account.address,
    chainId: chain.id,
    getCode: (address) => reader.getCode({ address }),
    async call({ to, data }): Promise<EvmCallResult> {
      try {
        const result = await reader.call({ account: account.address, to, data });
        return { ok: true, data: result.data ?? "0x" };
      } catch (error) {
        if (isRevert(error)) return { ok: false, revert: revertText(error) };
        throw error;
      }
    },
    async sendTransaction({ to, data }) {
      // One broadcast at a time: viem picks the nonce from the pending count, so two
      // concurrent sends from one account would otherwise get the same nonce.
      const send = lastSend.then(() => broadcast(walletClient, account, chain, to, data));
      lastSend = send.catch(() => undefined);
      return send;
    },
    async waitForTransactionReceipt(hash, timeout) {
      const receipt = await reader.waitForTransactionReceipt({ hash, timeout });
      return { status: receipt.status, logs: receipt.logs };
    },
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
  let next = 0;
  return {
    address: first.address,
    addresses: signers.map((signer) => signer.address),
    chainId: first.chainId,
    getCode: (address) => first.getCode(address),
    call: (request) => first.call(request),
    sendTransaction(request) {
      const signer = signers[next++ % signers.length] as FacilitatorEvmSigner;
      return signer.sendTransaction(request);
    },
    waitForTransactionReceipt: (hash, timeoutMs) => first.waitForTransactionReceipt(hash, timeoutMs),
  };
}

/**
 * Sign locally when the account can, so the hash is known before sending: if sending then
 * fails in transit, settlement can still follow the transaction instead of losing track of it.
 */
async function broadcast(
  walletClient: ViemFacilitatorClients["walletClient"],
  account: Account,
  chain: Chain,
  to: `0x${string}`,
  data: `0x${string}`,
): Promise<`0x${string}`> {
  try {
    if (account.type !== "local") return await walletClient.sendTransaction({ account, chain, to, data });
    const request = await walletClient.prepareTransactionRequest({ account, chain, to, data });
    const serializedTransaction = await walletClient.signTransaction({ ...request, account, chain } as never);
    try {
      return await walletClient.sendRawTransaction({ serializedTransaction });
    } catch (error) {
      if (!isRejection(error))
        throw new BroadcastUncertainError(keccak256(serializedTransaction), { cause: error });
      throw error;
    }
  } catch (error) {
    if (error instanceof BroadcastUncertainError) throw error;
    throw new Error(revertText(error), { cause: error });
  }
}

/** The node answered and refused the transaction (as opposed to the request failing in transit). */
function isRejection(error: unknown): boolean {
  return (
    error instanceof BaseError &&
    error.walk(
      (e) => e instanceof RpcRequestError || e instanceof TransactionExecutionError || isRevertLike(e),
    ) !== null
  );
}

function isRevertLike(error: unknown): boolean {
  return REVERT_ERRORS.some((type) => error instanceof type);
}

const REVERT_ERRORS = [ExecutionRevertedError, RawContractError, ContractFunctionRevertedError];

function isRevert(error: unknown): boolean {
  return (
    error instanceof BaseError && error.walk((e) => REVERT_ERRORS.some((type) => e instanceof type)) !== null
  );
}

/** viem messages span many lines of request dumps; keep the part that names the reason. */
function revertText(error: unknown): string {
  if (!(error instanceof BaseError)) return error instanceof Error ? error.message : String(error);
  const inner = error.walk((e) => REVERT_ERRORS.some((type) => e instanceof type)) ?? error;
  const parts = [(inner as BaseError).shortMessage, (inner as BaseError).details].filter(Boolean);
  const data = (inner as { data?: unknown }).data;
  if (typeof data === "string" && data !== "0x") parts.push(`data: ${data}`);
  return [...new Set(parts)].join(" — ");
}
