import { type CheckResult, fail } from "@x402kit/core";
import { isAddress } from "viem";
import { ExactEvmReason as R } from "../../reasons.js";
import type { Eip3009Domain } from "../../typedData.js";
import { ADDRESS, describeExactEvmPayloadProblem, type Eip3009Authorization, isRecord } from "../payload.js";

/**
 * A payload that passed every check that needs no chain access.
 *
 * @example
 * ```ts
 * const checked = checkPaymentAgainstRequirements(payload, requirements, chainId, now);
 * if (checked.ok) checked.value satisfies CheckedPayment;
 * ```
 */
export interface CheckedPayment {
  /** The signature the token checks (for an ERC-6492 wrapped one: once verified, the inner signature). */
  signature: `0x${string}`;
  authorization: Eip3009Authorization;
  /** The token's EIP-712 domain the signature must be over. */
  domain: Eip3009Domain;
  asset: `0x${string}`;
  value: bigint;
  /**
   * Set once verification found a counterfactual (ERC-6492) wallet: settlement first sends
   * `factoryCalldata` to `factory` (deploying the wallet), then the transfer.
   */
  deployment?: { factory: `0x${string}`; factoryCalldata: `0x${string}` };
}

/** Seconds an authorization must stay valid after verification (about one block). */
const VALID_BEFORE_BUFFER_SECONDS = 6n;

/**
 * The checks that need no chain access, cheapest first: shape, address checksums, scheme,
 * EIP-712 domain, network, asset (and the facilitator's asset allow-list), recipient,
 * validity window and amount (equal to the required one, and not 0: an `exact` payment of
 * nothing would cost the facilitator gas for no transfer). Never throws on malformed input.
 *
 * @example
 * ```ts
 * const checked = checkPaymentAgainstRequirements(payload, requirements, 8453, Math.floor(Date.now() / 1000));
 * if (!checked.ok) return { isValid: false, invalidReason: checked.reason };
 * ```
 */
export function checkPaymentAgainstRequirements(
  paymentPayload: unknown,
  requirements: unknown,
  chainId: number,
  nowSeconds: number,
  isAssetAllowed?: (asset: string) => boolean,
): CheckResult<CheckedPayment> {
  if (!isRecord(paymentPayload) || !isRecord(paymentPayload.accepted))
    return fail(R.InvalidPayload, "paymentPayload.accepted must be an object");
  const { accepted, payload } = paymentPayload;
  if (isRecord(payload) && !("authorization" in payload) && "permit2Authorization" in payload)
    return fail(R.UnsupportedPayloadType, "Permit2 payloads are not supported by this facilitator yet");
  const problem = describeExactEvmPayloadProblem(payload);
  if (problem) return fail(R.InvalidPayload, problem);
  const { signature, authorization } = payload as {
    signature: `0x${string}`;
    authorization: Eip3009Authorization;
  };
  // A mixed-case address must carry a valid EIP-55 checksum (viem would throw on it later).
  for (const field of ["from", "to"] as const)
    if (!isAddress(authorization[field], { strict: true }))
      return fail(
        R.InvalidPayload,
        `authorization.${field} ${authorization[field]} has a broken EIP-55 checksum`,
      );

  if (!isRecord(requirements))
    return fail(R.InvalidPaymentRequirements, "paymentRequirements must be an object");
  const { scheme, network, amount, asset, payTo, extra } = requirements;
  if (typeof asset !== "string" || !ADDRESS.test(asset))
    return fail(R.InvalidPaymentRequirements, "paymentRequirements.asset must be an EVM address");
  if (typeof payTo !== "string" || !ADDRESS.test(payTo))
    return fail(R.InvalidPaymentRequirements, "paymentRequirements.payTo must be an EVM address");
  if (typeof amount !== "string" || !/^\d{1,78}$/.test(amount))
    return fail(R.InvalidPaymentRequirements, "paymentRequirements.amount must be atomic base-10 digits");

  if (accepted.scheme !== "exact" || scheme !== "exact")
    return fail(
      R.Scheme,
      `scheme must be "exact" (accepted: ${String(accepted.scheme)}, required: ${String(scheme)})`,
    );
  const name = isRecord(extra) ? extra.name : undefined;
  const version = isRecord(extra) ? extra.version : undefined;
  if (typeof name !== "string" || typeof version !== "string")
    return fail(R.MissingEip712Domain, "paymentRequirements.extra.name and .version are required");
  const served = `eip155:${chainId}`;
  if (accepted.network !== network || network !== served)
    return fail(
      R.NetworkMismatch,
      `accepted ${String(accepted.network)}, required ${String(network)}; this facilitator serves ${served}`,
    );
  // The client signs over accepted.asset (EIP-712 verifyingContract), so a different asset
  // means the signature cannot authorise the required token; the official facilitator
  // reports the same case as a bad signature.
  if (typeof accepted.asset !== "string" || accepted.asset.toLowerCase() !== asset.toLowerCase())
    return fail(R.Signature, `payload is for asset ${String(accepted.asset)}, but ${asset} is required`);
  if (isAssetAllowed && !isAssetAllowed(asset))
    return fail(R.AssetNotAllowed, `asset ${asset} is not in this facilitator's allow-list`);
  if (authorization.to.toLowerCase() !== payTo.toLowerCase())
    return fail(R.RecipientMismatch, `authorization.to ${authorization.to} is not payTo ${payTo}`);
  const now = BigInt(nowSeconds);
  if (BigInt(authorization.validBefore) < now + VALID_BEFORE_BUFFER_SECONDS)
    return fail(R.ValidBefore, `authorization expires at ${authorization.validBefore} (now ${now})`);
  if (BigInt(authorization.validAfter) > now)
    return fail(R.ValidAfter, `authorization is valid only after ${authorization.validAfter} (now ${now})`);
  if (BigInt(authorization.value) !== BigInt(amount))
    return fail(R.ValueMismatch, `authorization.value ${authorization.value} ≠ required amount ${amount}`);
  if (BigInt(amount) === 0n)
    return fail(R.AuthorizationValue, "an exact payment of 0 is refused: there is nothing to transfer");

  return {
    ok: true,
    value: {
      signature,
      authorization,
      domain: { name, version, chainId, verifyingContract: asset as `0x${string}` },
      asset: asset as `0x${string}`,
      value: BigInt(authorization.value),
    },
  };
}
