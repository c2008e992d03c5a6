import { X402Error } from "@x402kit/core";
import { DEFAULT_TOKEN_DECIMALS } from "./constants.js";

const DECIMAL = /^(\d*)(?:\.(\d*))?$/;

/**
 * A decimal amount in atomic units, truncated to `decimals` places (as the official helper),
 * with string arithmetic: no float rounding. Scientific notation (`"1e-7"`) is accepted.
 *
 * @throws {X402Error} `invalid_price` for a malformed amount or decimals outside 0–20.
 * @example
 * ```ts
 * convertToTokenAmount("0.1", 7); // "1000000"
 * convertToTokenAmount("1e-7"); // "1"
 * ```
 */
export function convertToTokenAmount(decimalAmount: string, decimals = DEFAULT_TOKEN_DECIMALS): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20)
    throw new X402Error("invalid_price", `decimals must be between 0 and 20, got ${decimals}`);
  const text = expandExponent(String(decimalAmount).trim());
  const match = DECIMAL.exec(text);
  if (!match || text === "" || text === ".")
    throw new X402Error("invalid_price", `"${decimalAmount}" is not a decimal amount`);
  const whole = match[1] ?? "";
  const fraction = (match[2] ?? "").padEnd(decimals, "0").slice(0, decimals);
  return (whole + fraction).replace(/^0+/, "") || "0";
}

/** `"1.5e-7"` → `"0.00000015"` without going through a float. */
function expandExponent(text: string): string {
  const match = /^(\d*)(?:\.(\d*))?[eE]([+-]?\d+)$/.exec(text);
  if (!match) return text;
  const digits = `${match[1] ?? ""}${match[2] ?? ""}`;
  const point = (match[1] ?? "").length + Number(match[3]);
  if (Math.abs(Number(match[3])) > 60) return "invalid";
  if (point <= 0) return `0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + "0".repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}
