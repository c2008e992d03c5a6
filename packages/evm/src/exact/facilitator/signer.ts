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
  sendTransaction(request: { to: `0x${string}`; data: `0x${string}` }): Promise<`0x${string}`>;
  waitForTransactionReceipt(hash: `0x${string}`, timeoutMs: number): Promise<EvmReceipt>;
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
