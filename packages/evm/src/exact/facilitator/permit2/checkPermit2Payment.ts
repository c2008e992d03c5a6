import { type CheckResult, fail } from "@x402kit/core";
import { bytesToHex } from "viem";
import { checkPermit2Authorization, exactPermit2ProxyConfig } from "../../../permit2/checks.js";
import {
  describePermit2PayloadProblem,
  type ExactPermit2Payload,
  permit2NonceKey,
} from "../../../permit2/payload.js";
import { Permit2Reason as R } from "../../../permit2/reasons.js";
import { ExactEvmReason } from "../../../reasons.js";
import { keccak256Bytes } from "../../../signature/keccak256.js";
import { ADDRESS, isRecord } from "../../payload.js";

const utf8 = new TextEncoder();

/**
 * A Permit2 payment that passed every check needing no chain access.
 *
 * @example
 * ```ts
 * const checked = checkPermit2Payment(paymentPayload, requirements, chainId, now);
 * if (checked.ok) console.log(checked.value.key);
 * ```
 */
export interface CheckedPermit2Payment {
  payload: ExactPermit2Payload;
  requirements: { network: string; asset: `0x${string}`; payTo: `0x${string}`; amount: string };
  payer: `0x${string}`;
  amount: bigint;
  /** The ledger key: network + Permit2 + owner + nonce (what Permit2 refuses to spend twice). */
  key: string;
  /** Digest of everything the settlement depends on (a copy with another digest is a different payment). */
  digest: string;
}

/**
 * The local checks of an `exact` Permit2 payment, in the official order: payload shape
 * (`invalid_payload`), requirements shape, scheme (`unsupported_payload_type`), network
 * (`invalid_exact_evm_network_mismatch`), then spender, recipient, deadline, validAfter,
 * amount and token ({@link checkPermit2Authorization}). A zero amount is refused
 * (`permit2_invalid_amount`: the proxy would revert, after costing gas), and so is a token
 * outside `isAssetAllowed` (`invalid_exact_evm_asset_not_allowed`).
 *
 * @example
 * ```ts
 * const checked = checkPermit2Payment(paymentPayload, requirements, 8453, Math.floor(Date.now() / 1000));
 * ```
 */
export function checkPermit2Payment(
  paymentPayload: unknown,
  requirements: unknown,
  chainId: number,
  nowSeconds: number,
  isAssetAllowed?: (asset: string) => boolean,
): CheckResult<CheckedPermit2Payment> {
  if (!isRecord(paymentPayload) || !isRecord(paymentPayload.accepted))
    return fail(ExactEvmReason.InvalidPayload, "paymentPayload.accepted must be an object");
  const { accepted, payload } = paymentPayload;
  const problem = describePermit2PayloadProblem(payload);
  if (problem) return fail(ExactEvmReason.InvalidPayload, problem);
  const inner = payload as unknown as ExactPermit2Payload;
  if (!isRecord(requirements))
    return fail(ExactEvmReason.InvalidPaymentRequirements, "paymentRequirements must be an object");
  const { scheme, network, amount, asset, payTo } = requirements;
  if (typeof asset !== "string" || !ADDRESS.test(asset))
    return fail(
      ExactEvmReason.InvalidPaymentRequirements,
      "paymentRequirements.asset must be an EVM address",
    );
  if (typeof payTo !== "string" || !ADDRESS.test(payTo))
    return fail(
      ExactEvmReason.InvalidPaymentRequirements,
      "paymentRequirements.payTo must be an EVM address",
    );
  if (typeof amount !== "string" || !/^\d{1,78}$/.test(amount))
    return fail(
      ExactEvmReason.InvalidPaymentRequirements,
      "paymentRequirements.amount must be atomic base-10 digits",
    );
  if (accepted.scheme !== "exact" || scheme !== "exact")
    return fail(R.UnsupportedPayloadType, `scheme must be "exact" (accepted: ${String(accepted.scheme)})`);
  const served = `eip155:${chainId}`;
  if (accepted.network !== network || network !== served)
    return fail(
      R.NetworkMismatch,
      `accepted ${String(accepted.network)}, required ${String(network)}; this facilitator serves ${served}`,
    );
  const auth = inner.permit2Authorization;
  const checked = checkPermit2Authorization(
    auth as never,
    { asset, payTo, amount },
    { config: exactPermit2ProxyConfig, nowSeconds },
  );
  if (!checked.ok) return checked;
  if (BigInt(amount) === 0n) return fail(R.InvalidAmount, "a payment of 0 is not settled");
  if (isAssetAllowed && !isAssetAllowed(asset))
    return fail(ExactEvmReason.AssetNotAllowed, `this facilitator does not settle asset ${asset}`);
  const fixed = { network: served, asset: asset as `0x${string}`, payTo: payTo as `0x${string}`, amount };
  let digest: string | undefined;
  return {
    ok: true,
    value: {
      payload: inner,
      requirements: fixed,
      payer: auth.from,
      amount: BigInt(amount),
      key: permit2NonceKey(served, auth.from, auth.nonce),
      // Only settlement compares digests: verify does not pay for the hash.
      get digest() {
        digest ??= permit2PaymentDigest(inner, fixed);
        return digest;
      },
    },
  };
}

/**
 * A digest of a Permit2 payment and what it pays for; see {@link CheckedPermit2Payment.digest}.
 *
 * @example
 * ```ts
 * permit2PaymentDigest(payload.payload, requirements); // "0x…"
 * ```
 */
export function permit2PaymentDigest(
  inner: ExactPermit2Payload,
  requirements: { network: string; asset: string; payTo: string; amount: string },
): string {
  const a = inner.permit2Authorization;
  const parts = [
    "permit2",
    inner.signature,
    a.from,
    a.spender,
    a.permitted.token,
    BigInt(a.permitted.amount),
    BigInt(a.nonce),
    BigInt(a.deadline),
    a.witness.to,
    BigInt(a.witness.validAfter),
    requirements.network,
    requirements.asset,
    requirements.payTo,
    requirements.amount,
  ].map((part) => String(part).toLowerCase());
  return bytesToHex(keccak256Bytes(utf8.encode(parts.join("|"))));
}
