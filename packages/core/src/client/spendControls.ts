import { X402Error } from "../errors.js";
import { moneyToAtomic } from "../protocol/money.js";
import type { Money, PaymentRequirements } from "../protocol/types.js";
import type { DefaultAsset } from "../schemes/client.js";
import { memorySpendingTotals, type SpendingTotals } from "./spendingTotals.js";

/**
 * The per-payment USD cap on known assets when nothing else is configured.
 *
 * @example
 * ```ts
 * new x402Client().setSpendControls({ maxAmountPerPayment: DEFAULT_MAX_AMOUNT_PER_PAYMENT });
 * ```
 */
export const DEFAULT_MAX_AMOUNT_PER_PAYMENT: Money = "$1";

/**
 * An asset allowed besides the schemes' default (USD) assets, with optional atomic caps.
 *
 * @example
 * ```ts
 * const gold: SpendControlAsset = { network: "eip155:31337", asset: "0xToken", maxAmountPerPayment: "2000000" };
 * ```
 */
export interface SpendControlAsset {
  network: string;
  /** On-chain asset id, or the symbol of a default asset (`"USDC"`). */
  asset: string;
  /** Largest single payment in atomic units; replaces the USD cap for this asset. Omitted: uncapped. */
  maxAmountPerPayment?: string | bigint;
  /** Largest total over the client's life, atomic units (x402kit addition). */
  maxTotal?: string | bigint;
}

/**
 * What a client may pay. Without controls it pays only the assets its schemes know (their
 * USD default assets), at most `$1` a payment. `false` (instead of an object) turns every
 * control off.
 *
 * @example
 * ```ts
 * client.setSpendControls({ maxAmountPerPayment: "$0.10", maxTotal: "$5" });
 * client.setSpendControls({ allowedAssets: [{ network: "eip155:31337", asset: usdc, maxAmountPerPayment: "1000000" }] });
 * ```
 */
export interface SpendControls {
  /** USD cap per payment on known assets; `false` removes it. Default {@link DEFAULT_MAX_AMOUNT_PER_PAYMENT}. */
  maxAmountPerPayment?: Money | false;
  /** Other assets: `true` allows any asset (USD caps still apply to known ones), a list allows those. */
  allowedAssets?: true | readonly SpendControlAsset[];
  /** Budget: the sum of all payments in known USD assets (x402kit addition). Default: none. */
  maxTotal?: Money;
}

/**
 * Checks requirements against {@link SpendControls} and keeps the totals.
 *
 * @example
 * ```ts
 * const tracker = new SpendingTracker({ maxTotal: "$5" });
 * const release = await tracker.reserve(requirements, usdc);
 * ```
 */
export class SpendingTracker {
  constructor(
    private controls: SpendControls | false = {},
    private readonly totals: SpendingTotals = memorySpendingTotals(),
  ) {}

  /** Replace the controls; totals spent so far are kept. */
  setControls(controls: SpendControls | false): void {
    this.controls = controls;
  }

  /** Why `requirements` may not be paid now, or `undefined` when it may. */
  async refusal(
    requirements: PaymentRequirements,
    known: DefaultAsset | undefined,
  ): Promise<string | undefined> {
    const { controls } = this;
    if (controls === false) return undefined;
    const amount = BigInt(requirements.amount);
    const entry = allowedEntry(controls, requirements, known);
    if (!known && !entry && controls.allowedAssets !== true)
      return `asset ${requirements.asset} on ${requirements.network} is not a known stablecoin and not allowed`;
    const cap = this.perPaymentCap(requirements, known);
    if (cap !== undefined && amount > cap)
      return `${requirements.amount} exceeds the per-payment cap ${describeCap(entry, controls, cap)} for ${requirements.asset}`;
    if (entry?.maxTotal !== undefined) {
      const spent = await this.totals.get(assetKey(requirements));
      if (spent + amount > BigInt(entry.maxTotal))
        return `paying ${requirements.amount} would exceed the total cap ${entry.maxTotal} for ${requirements.asset}`;
    }
    if (known && controls.maxTotal !== undefined) {
      const spent = await this.totals.get(USD_KEY);
      if (spent + toUsdMicros(amount, known.decimals) > usdMicros(controls.maxTotal))
        return `paying would exceed the total cap ${String(controls.maxTotal)}`;
    }
    return undefined;
  }

  /** The resolved per-payment cap in the requirement's atomic units, or `undefined` when uncapped. */
  perPaymentCap(requirements: PaymentRequirements, known: DefaultAsset | undefined): bigint | undefined {
    const { controls } = this;
    if (controls === false) return undefined;
    const entry = allowedEntry(controls, requirements, known);
    if (entry?.maxAmountPerPayment !== undefined) return BigInt(entry.maxAmountPerPayment);
    const usdCap = controls.maxAmountPerPayment ?? DEFAULT_MAX_AMOUNT_PER_PAYMENT;
    if (!known || usdCap === false) return undefined;
    return fromUsdMicros(usdMicros(usdCap), known.decimals);
  }

  /**
   * Count `requirements` as spent, atomically against the total caps. Throws
   * `spending_limit_exceeded`; returns a function that gives the amount back.
   */
  async reserve(
    requirements: PaymentRequirements,
    known: DefaultAsset | undefined,
  ): Promise<() => Promise<void>> {
    const reason = await this.refusal(requirements, known);
    if (reason) throw limitError(reason, requirements);
    const { controls } = this;
    const amount = BigInt(requirements.amount);
    const entry = controls === false ? undefined : allowedEntry(controls, requirements, known);
    const assetCap = entry?.maxTotal === undefined ? undefined : BigInt(entry.maxTotal);
    if (!(await this.totals.add(assetKey(requirements), amount, assetCap)))
      throw limitError(
        `paying would exceed the total cap ${assetCap} for ${requirements.asset}`,
        requirements,
      );
    const micros = known ? toUsdMicros(amount, known.decimals) : 0n;
    const budget = controls === false ? undefined : controls.maxTotal;
    const usdCap = budget === undefined ? undefined : usdMicros(budget);
    if (micros > 0n && !(await this.totals.add(USD_KEY, micros, usdCap))) {
      await this.totals.add(assetKey(requirements), -amount);
      throw limitError(`paying would exceed the total cap ${String(budget)}`, requirements);
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await this.totals.add(assetKey(requirements), -amount);
      if (micros > 0n) await this.totals.add(USD_KEY, -micros);
    };
  }
}

const USD_KEY = "usd-micros";

function allowedEntry(
  controls: SpendControls,
  requirements: PaymentRequirements,
  known: DefaultAsset | undefined,
): SpendControlAsset | undefined {
  if (controls.allowedAssets === true || !controls.allowedAssets) return undefined;
  const asset = canonicalAsset(requirements.asset);
  return controls.allowedAssets.find(
    (a) =>
      a.network === requirements.network &&
      (canonicalAsset(a.asset) === asset || (known !== undefined && a.asset === known.symbol)),
  );
}

/** Hex ids (EVM addresses) compare case-insensitively; any other id (base58, …) exactly. */
function canonicalAsset(asset: string): string {
  return /^0x[0-9a-fA-F]+$/.test(asset) ? asset.toLowerCase() : asset;
}

function assetKey(requirements: PaymentRequirements): string {
  return `asset:${requirements.network}|${canonicalAsset(requirements.asset)}`;
}

function describeCap(entry: SpendControlAsset | undefined, controls: SpendControls, cap: bigint): string {
  if (entry?.maxAmountPerPayment !== undefined) return String(cap);
  return String(controls.maxAmountPerPayment ?? DEFAULT_MAX_AMOUNT_PER_PAYMENT);
}

function limitError(reason: string, requirements: PaymentRequirements): X402Error {
  return new X402Error("spending_limit_exceeded", reason, { details: { requirements } });
}

function usdMicros(money: Money): bigint {
  return BigInt(moneyToAtomic(money, 6));
}

/** Atomic amount → millionths of a USD, rounding up so caps are never under-counted. */
function toUsdMicros(amount: bigint, decimals: number): bigint {
  if (decimals <= 6) return amount * 10n ** BigInt(6 - decimals);
  const divisor = 10n ** BigInt(decimals - 6);
  return (amount + divisor - 1n) / divisor;
}

/** Millionths of a USD → atomic amount, rounding down so a cap is never exceeded. */
function fromUsdMicros(micros: bigint, decimals: number): bigint {
  if (decimals >= 6) return micros * 10n ** BigInt(decimals - 6);
  return micros / 10n ** BigInt(6 - decimals);
}
