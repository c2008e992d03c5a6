import type { PublicClient } from "viem";
import { GasPriceAboveCapError } from "./signer.js";

/**
 * Limits on what a facilitator pays per gas.
 *
 * @example
 * ```ts
 * const bounds: GasPriceBounds = { maxFeePerGasWei: 50_000_000_000n, priorityFeePerGasWei: 1_000_000n };
 * ```
 */
export interface GasPriceBounds {
  /**
   * The most paid per gas (EIP-1559 `maxFeePerGas`, or the legacy gas price). When the base
   * fee plus the priority fee is above it, settlement is refused without sending
   * (`settle_evm_gas_price_above_cap`); otherwise `maxFeePerGas` is never set above it.
   */
  maxFeePerGasWei?: bigint;
  /** The priority fee (tip) to offer. Default: the node's `eth_maxPriorityFeePerGas`. */
  priorityFeePerGasWei?: bigint;
}

/**
 * Fee fields of a transaction to sign.
 *
 * @example
 * ```ts
 * const fees: TransactionFees = { type: "eip1559", maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000n };
 * ```
 */
export type TransactionFees =
  | { type: "eip1559"; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
  | { type: "legacy"; gasPrice: bigint };

/** Fee data is re-read at most this often: one block's worth under load, not one call per send. */
const FEE_CACHE_MS = 1_000;

/**
 * Picks the fees of settlement transactions within {@link GasPriceBounds}: `maxFeePerGas` =
 * 2 × base fee + priority fee (room for the base fee to rise over a few blocks), lowered to the
 * cap; refused when even base fee + priority fee exceeds the cap. Chains without a base fee use
 * the legacy gas price. Node answers are shared for a second across concurrent sends.
 *
 * @example
 * ```ts
 * const fees = new GasFees(publicClient, { maxFeePerGasWei: 100_000_000_000n });
 * const picked = await fees.pick(); // throws GasPriceAboveCapError above the cap
 * ```
 */
export class GasFees {
  private cached:
    | { at: number; data: Promise<{ baseFee?: bigint; tip: bigint; gasPrice?: bigint }> }
    | undefined;

  constructor(
    private readonly reader: Pick<PublicClient, "getBlock" | "estimateMaxPriorityFeePerGas" | "getGasPrice">,
    private readonly bounds: GasPriceBounds = {},
  ) {}

  /** Fees for a transaction sent now. @throws {GasPriceAboveCapError} above the cap. */
  async pick(): Promise<TransactionFees> {
    const { baseFee, tip: nodeTip, gasPrice } = await this.feeData();
    const cap = this.bounds.maxFeePerGasWei;
    if (baseFee === undefined) {
      const price = gasPrice ?? 0n;
      if (cap !== undefined && price > cap) throw new GasPriceAboveCapError(price, cap);
      return { type: "legacy", gasPrice: price };
    }
    const tip = this.bounds.priorityFeePerGasWei ?? nodeTip;
    if (cap !== undefined && baseFee + tip > cap) throw new GasPriceAboveCapError(baseFee + tip, cap);
    const wanted = 2n * baseFee + tip;
    const maxFeePerGas = cap !== undefined && wanted > cap ? cap : wanted;
    return { type: "eip1559", maxFeePerGas, maxPriorityFeePerGas: tip };
  }

  private feeData() {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > FEE_CACHE_MS) {
      const data = this.read();
      this.cached = { at: now, data };
      // A failed read is not cached.
      data.catch(() => {
        if (this.cached?.data === data) this.cached = undefined;
      });
    }
    return this.cached.data;
  }

  private async read(): Promise<{ baseFee?: bigint; tip: bigint; gasPrice?: bigint }> {
    const block = await this.reader.getBlock({ blockTag: "latest" });
    const baseFee = block.baseFeePerGas ?? undefined;
    if (baseFee === undefined) return { tip: 0n, gasPrice: await this.reader.getGasPrice() };
    const tip =
      this.bounds.priorityFeePerGasWei ?? (await this.reader.estimateMaxPriorityFeePerGas().catch(() => 0n));
    return { baseFee, tip };
  }
}
