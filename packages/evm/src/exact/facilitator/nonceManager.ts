/**
 * Hands out the nonces of one account, one send at a time.
 *
 * Why one at a time: a nonce is only known to be used once the node has taken the signed
 * transaction. Holding the account's turn from "take a nonce" through "broadcast answered"
 * means a send that fails never leaves a gap behind later ones — nobody took a later nonce
 * meanwhile. Gas estimation and fee lookup happen outside the turn, so the turn is short:
 * sign (local), record (the caller's store), `eth_sendRawTransaction`.
 *
 * Where the next nonce comes from: the node's pending transaction count when nothing is known
 * (at start, so a restarted facilitator continues after its own transactions still in the
 * mempool) and after any failed send (the node is the judge of whether that nonce was taken);
 * otherwise the previous nonce + 1, without asking.
 *
 * @example
 * ```ts
 * const nonces = new NonceManager(() => publicClient.getTransactionCount({ address, blockTag: "pending" }));
 * const hash = await nonces.run(async (nonce) => send(await sign({ ...tx, nonce })));
 * ```
 */
export class NonceManager {
  private next: number | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(
    private readonly pendingCount: () => Promise<number>,
    /** A send still waiting for its turn after this long gives up, nothing signed. Default 20 000 ms. */
    private readonly maxQueueWaitMs = 20_000,
  ) {}

  /** Sends queued or running on this account (for picking the least busy account). */
  get busy(): number {
    return this.waiting;
  }

  /**
   * Run `use` with this account's next nonce, after every earlier `run` finished. A resolved
   * `use` consumed the nonce; a rejected one makes the next run ask the node again.
   */
  run<T>(use: (nonce: number) => Promise<T>): Promise<T> {
    this.waiting++;
    const queuedAt = Date.now();
    const turn = this.tail.then(async () => {
      // Queued too long (the key is stalled or swamped): better a clear refusal than a late send.
      if (Date.now() - queuedAt > this.maxQueueWaitMs) throw new SignerBusyError(this.maxQueueWaitMs);
      const nonce = this.next ?? (await this.pendingCount());
      try {
        const result = await use(nonce);
        this.next = nonce + 1;
        return result;
      } catch (error) {
        this.next = undefined;
        throw error;
      }
    });
    const done = turn.finally(() => {
      this.waiting--;
    });
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** Forget the local count: the next run asks the node (e.g. after a gap was filled). */
  resync(): void {
    this.next = undefined;
  }

  /**
   * Run `check` in the account's turn (no send runs meanwhile) with the next nonce this
   * manager would hand out (`undefined`: it will ask the node). Every nonce below it was
   * answered by the node before `check` starts, so a node pending count below it is a gap.
   */
  inspect<T>(check: (next: number | undefined) => Promise<T>): Promise<T> {
    const turn = this.tail.then(() => check(this.next));
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}

/** Reason of a settlement refused because its signer's nonce queue was too long (nothing signed). */
export const SIGNER_BUSY = "settle_evm_signer_busy";

/**
 * A send waited longer than its bound for its account's turn: nothing was signed or sent, so
 * the payment can be settled again later.
 *
 * @example
 * ```ts
 * throw new SignerBusyError(20_000);
 * ```
 */
export class SignerBusyError extends Error {
  override readonly name = "SignerBusyError";
  readonly reason = SIGNER_BUSY;
  constructor(readonly waitedMs: number) {
    super(`the settlement account was busy for over ${waitedMs} ms; nothing was signed or sent: try again`);
  }
}
