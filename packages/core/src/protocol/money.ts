import { X402Error } from "../errors.js";
import type { Money } from "./types.js";

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Convert a USD price (`"$0.01"`, `"0.01"`, `0.01`) to atomic units of a token with
 * `decimals` decimals, with string arithmetic (no float rounding). Rejects negative,
 * scientific and too-precise amounts with `invalid_price`.
 *
 * @example
 * ```ts
 * moneyToAtomic("$0.01", 6); // "10000"
 * ```
 */
export function moneyToAtomic(money: Money, decimals: number): string {
  const text =
    typeof money === "number" ? numberToPlainString(money) : money.trim().replace(/^\$/, "").trim();
  const match = DECIMAL.exec(text.replaceAll("_", ""));
  if (!match) throw new X402Error("invalid_price", `"${String(money)}" is not a decimal USD amount`);
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  if (fraction.replace(/0+$/, "").length > decimals)
    throw new X402Error("invalid_price", `"${String(money)}" has more than ${decimals} decimals`);
  const atomic = BigInt(whole + fraction.padEnd(decimals, "0").slice(0, decimals));
  if (atomic === 0n) throw new X402Error("invalid_price", `"${String(money)}" is zero`);
  return atomic.toString();
}

/**
 * Format an atomic amount with `decimals` decimals, e.g. `("10000", 6)` → `"0.01"`.
 * @example
 * ```ts
 * atomicToDecimal("10000", 6); // "0.01"
 * ```
 */
export function atomicToDecimal(amount: string | bigint, decimals: number): string {
  const digits = BigInt(amount)
    .toString()
    .padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}

/**
 * True when `value` looks like a USD price rather than an asset amount object.
 * @example
 * ```ts
 * isMoney("$0.01"); // true
 * isMoney({ amount: "1", asset: "0x…" }); // false
 * ```
 */
export function isMoney(value: unknown): value is Money {
  return typeof value === "string" || typeof value === "number";
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value) || value < 0) return "invalid";
  const text = String(value);
  // String() uses scientific notation below 1e-6; toFixed spells those out.
  return text.includes("e") ? value.toFixed(20).replace(/\.?0+$/, "") : text;
}
