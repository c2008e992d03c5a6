/**
 * A log entry of a transaction receipt.
 *
 * @example
 * ```ts
 * const log: EvmLog = { address: usdc, topics: [transferTopic, fromTopic, toTopic], data: "0x…" };
 * ```
 */
export interface EvmLog {
  address: `0x${string}`;
  topics: readonly `0x${string}`[];
  data: `0x${string}`;
}

/**
 * The parts of a transaction receipt settlement looks at.
 *
 * @example
 * ```ts
 * const receipt: EvmReceipt = { status: "success", logs: [] };
 * ```
 */
export interface EvmReceipt {
  status: "success" | "reverted";
  logs: readonly EvmLog[];
}

/**
 * Outcome of an `eth_call`: return data, or the revert text when the call reverted.
 *
 * @example
 * ```ts
 * const result: EvmCallResult = { ok: false, revert: "FiatTokenV2: invalid signature" };
 * ```
 */
export type EvmCallResult = { ok: true; data: `0x${string}` } | { ok: false; revert: string };

/**
 * The chain access of one facilitator account on one chain. Deliberately small so that
 * it is easy to fake in tests or implement without viem; {@link toFacilitatorEvmSigner}
 * builds one from viem clients.
 *
 * Contract: `call` resolves `{ ok: false }` for a revert and rejects only for transport /
 * node failures; `sendTransaction` rejects with an Error whose message carries the revert
 * text when gas estimation or broadcast fails — or with a {@link BroadcastUncertainError}
 * when a signed transaction may have reached the network although sending failed (a
 * transport error); `waitForTransactionReceipt` rejects on timeout.
 *
 * @example
 * ```ts
 * const signer = toFacilitatorEvmSigner({ walletClient, publicClient });
 * new ExactEvmScheme(signer);
 * ```
 */
export interface FacilitatorEvmSigner {
  /** The account that sends settlements and pays gas (the first, when there are several). */
  readonly address: `0x${string}`;
  /** Every account settlements may be sent from (listed in `/supported.signers`). Default `[address]`. */
  readonly addresses?: readonly `0x${string}`[];
  /** The chain this signer is connected to; the facilitator serves `eip155:<chainId>`. */
  readonly chainId: number;
  getCode(address: `0x${string}`): Promise<`0x${string}` | undefined>;
  /** `eth_call` from {@link address} at the latest block. */
  call(request: { to: `0x${string}`; data: `0x${string}` }): Promise<EvmCallResult>;
  /**
   * Sign and broadcast a call; resolves its hash. A signer that signs locally calls
   * `hooks.onSigned` after signing and before broadcasting (nothing is sent if it throws), so
   * the caller can record the transaction before it can reach the chain.
   */
  sendTransaction(request: EvmTransactionRequest, hooks?: SendTransactionHooks): Promise<`0x${string}`>;
  waitForTransactionReceipt(hash: `0x${string}`, timeoutMs: number): Promise<EvmReceipt>;
  /** The receipt of `hash` if it is mined, without waiting (for reconciling). */
  getTransactionReceipt?(hash: `0x${string}`): Promise<EvmReceipt | undefined>;
  /** True when the node knows `hash` (in its mempool or mined). */
  isTransactionKnown?(hash: `0x${string}`): Promise<boolean>;
  /** How many transactions of `address` are mined (its next unmined nonce). */
  getMinedNonce?(address: `0x${string}`): Promise<number>;
  /** Broadcast already signed bytes again (same nonce, same hash); "already known" is success. */
  rebroadcast?(serialized: `0x${string}`): Promise<void>;
  /**
   * Fill nonce gaps of every account (a dropped transaction no settlement record holds):
   * broadcast journaled bytes again or re-sync the nonce sequence. Resolves how many were repaired.
   * `sent` names a transaction known to be signed (a settlement record's `from` and `nonce`):
   * a node pending count at or below its nonce is a gap too (also after a restart).
   */
  repairNonces?(sent?: { from: `0x${string}`; nonce: number }): Promise<number>;
}

/**
 * What {@link FacilitatorEvmSigner.sendTransaction} sends.
 *
 * @example
 * ```ts
 * const request: EvmTransactionRequest = { to: proxy, data, from: witnessFacilitator };
 * ```
 */
export interface EvmTransactionRequest {
  to: `0x${string}`;
  data: `0x${string}`;
  /** Wei sent along (e.g. gas funding of a payer). Default 0. */
  value?: bigint;
  /**
   * Send from this account (one of the signer's `addresses`), for calls only that account may
   * make (an upto settle whose witness names the facilitator). Default: whichever account is
   * least busy. An account the signer does not hold is an error (nothing sent).
   */
  from?: `0x${string}`;
}

/**
 * A transaction signed for broadcast: enough to follow it (`hash`), to tell whether it can
 * still be mined (`from`, `nonce`) and to broadcast the very same bytes again (`serialized`).
 *
 * @example
 * ```ts
 * const signed: SignedEvmTransaction = { hash, from: account.address, nonce: 7, serialized: "0x02f8…" };
 * ```
 */
export interface SignedEvmTransaction {
  hash: `0x${string}`;
  from: `0x${string}`;
  nonce: number;
  serialized: `0x${string}`;
}

/**
 * Optional callbacks of {@link FacilitatorEvmSigner.sendTransaction}.
 *
 * @example
 * ```ts
 * await signer.sendTransaction({ to, data }, { onSigned: (tx) => ledger.write(key, { ...record, hash: tx.hash }) });
 * ```
 */
export interface SendTransactionHooks {
  /** Called once per signed transaction, before it is broadcast; throwing cancels the broadcast. */
  onSigned?(transaction: SignedEvmTransaction): Promise<void>;
}

/**
 * Sending a signed transaction failed in a way that does not prove it was not broadcast
 * (a timeout or dropped connection after the node may have taken it). Settlement then waits
 * for `hash` instead of reporting a failure: the money may be moving.
 *
 * @example
 * ```ts
 * throw new BroadcastUncertainError(hash, { cause: transportError });
 * ```
 */
export class BroadcastUncertainError extends Error {
  override readonly name = "BroadcastUncertainError";
  constructor(
    readonly hash: `0x${string}`,
    options?: { cause?: unknown },
  ) {
    super(`transaction ${hash} may have been broadcast; its outcome is unknown`, options);
  }
}

/** Reason of a settlement refused because gas costs more than the configured cap (no official code exists). */
export const GAS_PRICE_ABOVE_CAP = "settle_evm_gas_price_above_cap";

/**
 * The network's gas price is above the facilitator's cap: nothing was signed or sent.
 *
 * @example
 * ```ts
 * throw new GasPriceAboveCapError(required, cap);
 * ```
 */
export class GasPriceAboveCapError extends Error {
  override readonly name = "GasPriceAboveCapError";
  readonly reason = GAS_PRICE_ABOVE_CAP;
  constructor(
    readonly requiredWei: bigint,
    readonly capWei: bigint,
  ) {
    super(`gas price ${requiredWei} wei per gas is above the cap of ${capWei} wei per gas; not sent`);
  }
}
