import { BaseError, keccak256, type LocalAccount, type PublicClient } from "viem";
import type { GasFees } from "./gasBounds.js";
import type { NonceManager } from "./nonceManager.js";
import type { SendJournal } from "./sendJournal.js";
import { BroadcastUncertainError, type EvmTransactionRequest, type SendTransactionHooks } from "./signer.js";
import { isRejection, revertText } from "./viemErrors.js";

/**
 * What {@link sendSigned} works with: one local account and its nonce sequence.
 *
 * @example
 * ```ts
 * const sender: LocalSender = { reader, account, chainId: 8453, fees: new GasFees(reader), nonces };
 * ```
 */
export interface LocalSender {
  reader: PublicClient;
  account: LocalAccount;
  chainId: number;
  fees: GasFees;
  nonces: NonceManager;
  /** Told when the node refused a nonce (taken by someone else) and the send was retried. */
  onNonceRetry?: (error: unknown) => void;
  /** Where every signed transaction is kept by nonce (see {@link repairNonceGap}). */
  journal?: SendJournal;
}

/**
 * Estimate, price, take a nonce, sign, let the caller record, broadcast. Estimation and fees
 * run outside the account's turn (concurrent sends overlap there); the turn covers only
 * sign → record → `eth_sendRawTransaction`. A nonce the node calls too low or underpriced
 * (another process used the key) is re-read from the node and the send retried once with a
 * new signature; a transport failure after signing is a {@link BroadcastUncertainError}.
 *
 * @throws {GasPriceAboveCapError} above the gas price cap (nothing signed).
 * @example
 * ```ts
 * const hash = await sendSigned(sender, { to: usdc, data: calldata }, { onSigned: (tx) => ledger.write(key, tx) });
 * ```
 */
export async function sendSigned(
  sender: LocalSender,
  { to, data, value }: EvmTransactionRequest,
  hooks?: SendTransactionHooks,
): Promise<`0x${string}`> {
  const { reader, account } = sender;
  const [gas, fees] = await Promise.all([
    reader
      .estimateGas({ account: account.address, to, data, ...(value ? { value } : {}) })
      .catch((error: unknown) => {
        throw new Error(revertText(error), { cause: error });
      }),
    sender.fees.pick(),
  ]);
  const attempt = () =>
    sender.nonces.run(async (nonce) => {
      const serialized = await account.signTransaction({
        chainId: sender.chainId,
        to,
        data,
        ...(value ? { value } : {}),
        gas,
        nonce,
        ...fees,
      });
      const hash = keccak256(serialized);
      // Journaled before anything can reach the chain, recorded or not (a funding, a deploy).
      await sender.journal?.write(account.address, nonce, serialized);
      await hooks?.onSigned?.({ hash, from: account.address, nonce, serialized });
      await broadcastRaw(reader, serialized, hash);
      return hash;
    });
  try {
    return await attempt();
  } catch (error) {
    if (!isNonceConflict(error)) throw error;
    sender.onNonceRetry?.(error);
    return attempt();
  }
}

/**
 * Find and fill a nonce gap of the account: when the node's pending count is below the next
 * nonce this process hands out, a transaction at that nonce was dropped and every later one
 * waits behind it. Its journaled bytes are broadcast again (and those of the nonces after it);
 * without bytes, or when the node refuses them, the nonce manager re-syncs so the next send
 * takes the free nonce. Runs in the account's turn. Resolves how many nonces it repaired.
 *
 * @example
 * ```ts
 * const repaired = await repairNonceGap(sender); // 1: a dropped funding transaction went out again
 * await repairNonceGap(sender, record.nonce); // after a restart: up to a recorded settlement
 * ```
 */
export async function repairNonceGap(sender: LocalSender, signedUpTo?: number): Promise<number> {
  const { reader, account, nonces, journal } = sender;
  return nonces.inspect(async (local) => {
    // Known signed: below this process's next nonce, and up to a recorded settlement's nonce.
    const next = Math.max(local ?? 0, signedUpTo === undefined ? 0 : signedUpTo + 1);
    if (next === 0) return 0;
    const pending = await reader.getTransactionCount({ address: account.address, blockTag: "pending" });
    if (pending >= next) return 0;
    let repaired = 0;
    for (let nonce = pending; nonce < next && nonce < pending + 64; nonce++) {
      const bytes = await journal?.read(account.address, nonce);
      const sent = bytes
        ? await rebroadcast(reader, bytes).then(
            () => true,
            () => false,
          )
        : false;
      if (sent) repaired++;
      else if (nonce === pending) {
        // Nothing to fill the first gap with: the next send takes that nonce.
        nonces.resync();
        return repaired + 1;
      }
    }
    return repaired;
  });
}

/**
 * Broadcast signed bytes again (a dropped transaction, same nonce and hash). "Already known"
 * counts as success; "nonce too low" means the nonce was used meanwhile (it rejects).
 *
 * @example
 * ```ts
 * await rebroadcast(publicClient, record.serialized);
 * ```
 */
export async function rebroadcast(reader: PublicClient, serialized: `0x${string}`): Promise<void> {
  await broadcastRaw(reader, serialized, keccak256(serialized));
}

async function broadcastRaw(
  reader: PublicClient,
  serialized: `0x${string}`,
  hash: `0x${string}`,
): Promise<void> {
  try {
    await reader.sendRawTransaction({ serializedTransaction: serialized });
  } catch (error) {
    if (ALREADY_KNOWN.test(fullText(error))) return;
    if (isRejection(error)) throw new NodeRefusedError(revertText(error), error);
    throw new BroadcastUncertainError(hash, { cause: error });
  }
}

/** The node answered `eth_sendRawTransaction` with an error: the transaction is not in its pool. */
class NodeRefusedError extends Error {
  override readonly name = "NodeRefusedError";
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

const ALREADY_KNOWN = /already known|known transaction|already imported/i;
const NONCE_CONFLICT =
  /nonce too low|nonce has already been used|replacement transaction underpriced|underpriced/i;

function isNonceConflict(error: unknown): boolean {
  return error instanceof NodeRefusedError && NONCE_CONFLICT.test(fullText(error.cause));
}

function fullText(error: unknown): string {
  if (error instanceof BaseError) {
    const parts: string[] = [];
    error.walk((e) => {
      parts.push((e as BaseError).shortMessage ?? "", (e as BaseError).details ?? "", (e as Error).message);
      return false;
    });
    return parts.join(" ");
  }
  return error instanceof Error ? error.message : String(error);
}
