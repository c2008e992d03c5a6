import type { KeyValueStore } from "@x402kit/core/storage";

/**
 * Every transaction an account signed, by nonce, in the store: the signed bytes of sends no
 * settlement record holds (sponsor funding, wallet deployments) can then be broadcast again
 * when the node dropped them — otherwise their nonce would stay a gap and stall every later
 * send of the key until a restart.
 *
 * @example
 * ```ts
 * const journal = new SendJournal(store, 31337, { ttlMs: 3_600_000 });
 * await journal.write(account.address, 7, serialized);
 * const bytes = await journal.read(account.address, 7);
 * ```
 */
export class SendJournal {
  private readonly ttlMs: number;
  private readonly prefix: string;

  constructor(
    private readonly store: KeyValueStore,
    chainId: number,
    options: { ttlMs?: number; prefix?: string } = {},
  ) {
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.prefix = `${options.prefix ?? "x402kit:evm:journal:"}${chainId}:`;
  }

  /** Remember the signed bytes of `from`'s transaction `nonce` (before it is broadcast). */
  write(from: string, nonce: number, serialized: `0x${string}`): Promise<void> {
    return this.store.set(this.keyOf(from, nonce), serialized, { ttlMs: this.ttlMs });
  }

  /** The signed bytes of `from`'s transaction `nonce`, if journaled. */
  async read(from: string, nonce: number): Promise<`0x${string}` | undefined> {
    const value = await this.store.get(this.keyOf(from, nonce));
    return value?.startsWith("0x") ? (value as `0x${string}`) : undefined;
  }

  private keyOf(from: string, nonce: number): string {
    return `${this.prefix}${from.toLowerCase()}:${nonce}`;
  }
}
