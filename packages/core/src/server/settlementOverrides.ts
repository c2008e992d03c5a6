import { X402Error } from "../errors.js";
import type { PaymentRequirements } from "../protocol/types.js";
import type { SchemeServer } from "../schemes/index.js";
import { convertToTokenAmount, parseMoneyString } from "../utils/money.js";

/** The response header a handler sets to report what to charge (see `setSettlementOverrides`). */
export const SETTLEMENT_OVERRIDES_HEADER = "Settlement-Overrides";

/**
 * What the handler reports after it ran: the amount to charge, at most the authorised one
 * (`upto`, `batch-settlement`). With `exact` any other amount makes settlement fail.
 *
 * @example
 * ```ts
 * await payment.settle({ amount: "50%" });
 * ```
 */
export interface SettlementOverrides {
  /**
   * Atomic units (`"1000"`), a percentage of the authorised amount with up to two decimals
   * (`"50%"`, floored), or a dollar price (`"$0.05"`, in the asset's decimals, truncated).
   */
  amount?: string;
}

const ATOMIC = /^\d+$/;
const PERCENT = /^(\d+)(?:\.(\d{1,2}))?%$/;

/**
 * The atomic amount an override asks for. Refuses (typed `invalid_settlement_amount`, nothing
 * settled) a malformed amount, a `$` amount whose decimals are unknown, and anything above the
 * authorised `requirements.amount`.
 *
 * @example
 * ```ts
 * resolveSettlementOverrideAmount("50%", { ...requirements, amount: "1000" }, 6); // "500"
 * ```
 */
export function resolveSettlementOverrideAmount(
  raw: string,
  requirements: Pick<PaymentRequirements, "amount">,
  decimals: number | undefined,
): string {
  const text = raw.trim();
  const authorised = BigInt(requirements.amount);
  let amount: bigint;
  const percent = PERCENT.exec(text);
  if (ATOMIC.test(text)) amount = BigInt(text);
  else if (percent) {
    const hundredths = BigInt(percent[1] as string) * 100n + BigInt((percent[2] ?? "").padEnd(2, "0"));
    amount = (authorised * hundredths) / 10_000n;
  } else if (text.startsWith("$")) {
    if (decimals === undefined)
      throw refusal(`"${raw}" needs the asset's decimals, which the scheme does not know`);
    try {
      amount = BigInt(convertToTokenAmount(parseMoneyString(text), decimals));
    } catch (cause) {
      throw refusal(`"${raw}" is not a dollar amount`, cause);
    }
  } else throw refusal(`"${raw}" is not an atomic amount, a percentage or a dollar amount`);
  if (amount > authorised)
    throw refusal(`the charge ${amount} exceeds the authorised amount ${requirements.amount}`);
  return amount.toString();
}

/**
 * The overrides in a handler's `Settlement-Overrides` header value, or `undefined` when absent
 * or malformed (the official middleware ignores malformed values too).
 *
 * @example
 * ```ts
 * parseSettlementOverridesHeader('{"amount":"500"}'); // { amount: "500" }
 * ```
 */
export function parseSettlementOverridesHeader(value: string | undefined): SettlementOverrides | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const amount = (parsed as { amount?: unknown }).amount;
    return typeof amount === "string"
      ? { amount }
      : typeof amount === "number"
        ? { amount: String(amount) }
        : {};
  } catch {
    return undefined;
  }
}

function refusal(message: string, cause?: unknown): X402Error {
  return new X402Error("invalid_settlement_amount", message, { cause });
}

/**
 * `requirements` with the overridden amount; throws `invalid_settlement_amount` for a refused one.
 * A `$` amount is converted with the scheme's decimals for the asset.
 * @example
 * ```ts
 * chargedRequirements(scheme, requirements, { amount: "50%" }).amount;
 * ```
 */
export function chargedRequirements(
  scheme: SchemeServer | undefined,
  requirements: PaymentRequirements,
  overrides: SettlementOverrides | undefined,
): PaymentRequirements {
  if (overrides?.amount === undefined) return requirements;
  const decimals = overrides.amount.trim().startsWith("$")
    ? scheme?.getAssetDecimals?.(requirements.asset, requirements.network)
    : undefined;
  const amount = resolveSettlementOverrideAmount(overrides.amount, requirements, decimals);
  return amount === requirements.amount ? requirements : { ...requirements, amount };
}
