import { X402Error } from "../errors.js";
import { moneyToAtomic } from "../protocol/money.js";
import type { Money, PaymentRequirements } from "../protocol/types.js";
import type { AssetInfo } from "../schemes/index.js";

/** One explicitly allowed asset, with caps in its atomic units. */
export interface AllowedAsset {
  network: string;
  asset: string;
  /** Largest single payment, atomic units. Defaults to the USD cap when the asset is a known stablecoin. */
  maxPerPayment?: string | bigint;
  /** Largest total over the client's lifetime, atomic units. */
  maxTotal?: string | bigint;
}

/**
 * Spending limits of a client. Without limits a client pays only known USD stablecoins and
 * at most `$1` per payment.
 *
 * @example
 * ```ts
 * new x402Client({ limits: { maxPerPayment: "$0.10", maxTotal: "$5" } });
 * new x402Client({ limits: { allowedAssets: [{ network: "eip155:31337", asset: usdc, maxPerPayment: 1_000_000n }] } });
 * ```
 */
export interface SpendingLimits {
  /** Cap per payment for known USD stablecoins; `false` removes it. Default `"$1"`. */
  maxPerPayment?: Money | false;
  /** Cap on the sum of all payments in known USD stablecoins. Default: none. */
  maxTotal?: Money;
  /** Assets that may be paid besides the known stablecoins, each with its own caps. */
  allowedAssets?: readonly AllowedAsset[];
  /** Pay any asset (still subject to `allowedAssets` caps). Default `false`. */
  allowUnknownAssets?: boolean;
}

/**
 * Tracks spending against {@link SpendingLimits}.
 * @example
 * ```ts
 * const tracker = new SpendingTracker({ maxPerPayment: "$0.10" });
 * const giveBack = tracker.reserve(requirements, { decimals: 6, symbol: "USDC", usd: true });
 * ```
 */
export class SpendingTracker {
  private readonly spentByAsset = new Map<string, bigint>();
  private spentUsdMicros = 0n;

  constructor(private readonly limits: SpendingLimits = {}) {}

  /** Why `requirements` may not be paid, or `undefined` when it may. */
  refusal(requirements: PaymentRequirements, asset: AssetInfo | undefined): string | undefined {
    const amount = BigInt(requirements.amount);
    const allowed = this.allowedEntry(requirements);
    if (allowed) {
      if (allowed.maxPerPayment !== undefined && amount > BigInt(allowed.maxPerPayment))
        return `${requirements.amount} exceeds the per-payment cap ${allowed.maxPerPayment} for ${requirements.asset}`;
      const spent = this.spentByAsset.get(assetKey(requirements)) ?? 0n;
      if (allowed.maxTotal !== undefined && spent + amount > BigInt(allowed.maxTotal))
        return `paying ${requirements.amount} would exceed the total cap ${allowed.maxTotal} for ${requirements.asset}`;
      if (allowed.maxPerPayment !== undefined || !asset?.usd) return undefined;
    }
    if (!asset?.usd) {
      return allowed || this.limits.allowUnknownAssets
        ? undefined
        : `asset ${requirements.asset} on ${requirements.network} is not a known stablecoin and not allowed`;
    }
    const micros = toUsdMicros(amount, asset.decimals);
    const perPayment = this.limits.maxPerPayment ?? "$1";
    if (perPayment !== false && micros > BigInt(moneyToAtomic(perPayment, 6)))
      return `${requirements.amount} atomic ${asset.symbol} exceeds the per-payment cap ${String(perPayment)}`;
    if (
      this.limits.maxTotal !== undefined &&
      this.spentUsdMicros + micros > BigInt(moneyToAtomic(this.limits.maxTotal, 6))
    )
      return `paying would exceed the total cap ${String(this.limits.maxTotal)}`;
    return undefined;
  }

  /**
   * Check `requirements` against the limits and count it as spent, in one synchronous step.
   * Throws `spending_limit_exceeded`; returns a function that gives the amount back.
   */
  reserve(requirements: PaymentRequirements, asset: AssetInfo | undefined): () => void {
    const reason = this.refusal(requirements, asset);
    if (reason) throw new X402Error("spending_limit_exceeded", reason, { details: { requirements } });
    this.add(requirements, asset, 1n);
    let returned = false;
    return () => {
      if (!returned) this.add(requirements, asset, -1n);
      returned = true;
    };
  }

  private add(requirements: PaymentRequirements, asset: AssetInfo | undefined, sign: 1n | -1n): void {
    const amount = BigInt(requirements.amount) * sign;
    const key = assetKey(requirements);
    this.spentByAsset.set(key, (this.spentByAsset.get(key) ?? 0n) + amount);
    if (asset?.usd) this.spentUsdMicros += toUsdMicros(BigInt(requirements.amount), asset.decimals) * sign;
  }

  private allowedEntry(requirements: PaymentRequirements): AllowedAsset | undefined {
    const asset = requirements.asset.toLowerCase();
    return this.limits.allowedAssets?.find(
      (a) => a.network === requirements.network && a.asset.toLowerCase() === asset,
    );
  }
}

function assetKey(requirements: PaymentRequirements): string {
  return `${requirements.network}|${requirements.asset.toLowerCase()}`;
}

/** Atomic amount → millionths of a USD, rounding up so caps are never under-counted. */
function toUsdMicros(amount: bigint, decimals: number): bigint {
  if (decimals <= 6) return amount * 10n ** BigInt(6 - decimals);
  const divisor = 10n ** BigInt(decimals - 6);
  return (amount + divisor - 1n) / divisor;
}
