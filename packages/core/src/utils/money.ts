import { X402Error } from "../errors.js";
import type { Money } from "../protocol/types.js";

const DECIMAL = /^\d+(?:\.\d+)?$/;
const MONEY = /^\$?\s*(\d+(?:\.\d+)?)(?:\s+([A-Za-z][A-Za-z0-9]*))?$/;

/**
 * A number as a plain decimal string, never in scientific notation.
 * @example
 * ```ts
 * numberToDecimalString(1e-7); // "0.0000001"
 * ```
 */
export function numberToDecimalString(n: number): string {
  if (!Number.isFinite(n)) throw new X402Error("invalid_price", `${n} is not a finite number`);
  const text = String(n);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!match) return text;
  // Move the decimal point in the shortest digits JavaScript printed: no float round trip.
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`.replace(/0+$/, "");
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * The decimal part of a money string (`"$0.10"` → `"0.10"`); rejects tickers and signs.
 * @example
 * ```ts
 * parseMoneyString("$1.50"); // "1.50"
 * ```
 */
export function parseMoneyString(money: string): string {
  const text = money.trim().replace(/^\$/, "").trim();
  if (!DECIMAL.test(text)) throw new X402Error("invalid_price", `"${money}" is not a decimal amount`);
  return text;
}

/**
 * Split a price into its decimal amount and optional ticker: `"1.50 USDT"` →
 * `{ amount: "1.50", symbol: "USDT" }`; `"USD"` and bare amounts have no symbol.
 * @example
 * ```ts
 * parseMoney(0.5); // { amount: "0.5" }
 * ```
 */
export function parseMoney(money: Money): { amount: string; symbol?: string } {
  if (typeof money === "number") {
    if (money < 0) throw new X402Error("invalid_price", `${money} is negative`);
    return { amount: numberToDecimalString(money) };
  }
  const match = MONEY.exec(money.trim());
  if (!match) throw new X402Error("invalid_price", `"${money}" is not a decimal amount`);
  const symbol = match[2]?.toUpperCase();
  return symbol && symbol !== "USD" ? { amount: match[1] as string, symbol } : { amount: match[1] as string };
}

/**
 * A decimal amount in a token's smallest units, with string arithmetic: pads or truncates
 * toward zero (never rounds up), so `"0"` is possible.
 * @example
 * ```ts
 * convertToTokenAmount("0.10", 6); // "100000"
 * ```
 */
export function convertToTokenAmount(decimalAmount: string, decimals: number): string {
  if (!DECIMAL.test(decimalAmount))
    throw new X402Error("invalid_price", `"${decimalAmount}" is not a plain decimal amount`);
  if (!Number.isInteger(decimals) || decimals < 0)
    throw new X402Error("invalid_price", `${decimals} is not a number of decimals`);
  const [whole = "0", fraction = ""] = decimalAmount.split(".");
  return BigInt(whole + fraction.padEnd(decimals, "0").slice(0, decimals)).toString();
}
