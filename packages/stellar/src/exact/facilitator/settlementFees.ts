import { ExactStellarReason as R } from "../../reasons.js";
import type { Refusal } from "./checkTransaction.js";

/** The network's minimum inclusion fee per operation, in stroops. */
export const MIN_INCLUSION_FEE = 100n;

/** What the facilitator's transaction bids: the inner fee, and the fee-bump rate when wrapped. */
export interface SettlementFees {
  /** Total fee of the facilitator's (inner) transaction: inclusion + resource fee. */
  innerFee: bigint;
  /** The fee bump's per-operation rate (its total is `2 × rate + resourceFee`). */
  bumpRate?: bigint;
  /** What the facilitator pays at most. */
  total: bigint;
}

/**
 * The fees of a settlement, from the client's fee, the resource fee the facilitator's own
 * simulation requires, and the facilitator's bound. Without a fee bump the transaction bids the
 * client's fee (it must cover the resource fee and one inclusion fee). With a fee bump the inner
 * transaction bids the minimum inclusion fee and the bump's rate is chosen so that its total —
 * the client's fee, or the least a bump can bid when that is lower — stays within the bound.
 *
 * @example
 * ```ts
 * settlementFees({ clientFee: 25_100n, resourceFee: 25_000n, maxFeeStroops: 50_000n, feeBump: true });
 * // { innerFee: 25_100n, bumpRate: 100n, total: 25_200n }
 * ```
 */
export function settlementFees(input: {
  clientFee: bigint;
  resourceFee: bigint;
  maxFeeStroops: bigint;
  feeBump: boolean;
}): SettlementFees | Refusal {
  const { clientFee, resourceFee, maxFeeStroops, feeBump } = input;
  if (resourceFee < 0n) return { reason: R.Malformed, message: "a negative resource fee" };
  if (clientFee < resourceFee + MIN_INCLUSION_FEE)
    return {
      reason: R.FeeBelowMinimum,
      message: `fee ${clientFee} is below the resource fee ${resourceFee} plus the inclusion fee`,
    };
  // bigint: no Math.min.
  let bound = clientFee;
  if (maxFeeStroops < bound) bound = maxFeeStroops;
  if (!feeBump) return { innerFee: bound, total: bound };
  // A fee bump of one operation bids (1 + 1) × rate + resourceFee, rate ≥ the inner rate.
  const least = resourceFee + 2n * MIN_INCLUSION_FEE;
  if (least > maxFeeStroops)
    return {
      reason: R.FeeExceedsMaximum,
      message: `a fee bump needs ${least} stroops, above the facilitator's bound ${maxFeeStroops}`,
    };
  let target = least;
  if (bound > target) target = bound;
  const bumpRate = (target - resourceFee) / 2n;
  return { innerFee: resourceFee + MIN_INCLUSION_FEE, bumpRate, total: 2n * bumpRate + resourceFee };
}
