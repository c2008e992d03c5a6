import { type CheckResult, fail } from "@x402kit/core";
import { decodeFunctionResult, encodeFunctionData, size } from "viem";
import { ERC1271_MAGIC_VALUE, erc1271Abi } from "../../abi.js";
import { ExactEvmReason as R } from "../../reasons.js";
import { transferWithAuthorizationDigest } from "../../signature/eip712Digest.js";
import { parseErc6492Signature } from "../../signature/erc6492.js";
import { recoverDigestSigner } from "../../signature/recoverSigner.js";
import type { CheckedPayment } from "./checkPayment.js";
import type { FacilitatorEvmSigner } from "./signer.js";

/**
 * The EIP-712 digest a payment's signature must be over.
 *
 * @example
 * ```ts
 * const digest = authorizationDigest(payment);
 * ```
 */
export function authorizationDigest({ domain, authorization: a }: CheckedPayment): `0x${string}` {
  return transferWithAuthorizationDigest(domain, {
    from: a.from,
    to: a.to,
    value: BigInt(a.value),
    validAfter: BigInt(a.validAfter),
    validBefore: BigInt(a.validBefore),
    nonce: a.nonce,
  });
}

/**
 * Local, no chain access: does the payment carry a 65-byte ECDSA signature of
 * `authorization.from` (native secp256k1 where installed)? The cheap first test of every
 * verification.
 *
 * @example
 * ```ts
 * if (await isSignedByPayerKey(payment)) console.log("an EOA's signature");
 * ```
 */
export async function isSignedByPayerKey(payment: CheckedPayment): Promise<boolean> {
  if (size(payment.signature) !== 65) return false;
  const signer = await recoverDigestSigner(authorizationDigest(payment), payment.signature);
  return signer === payment.authorization.from.toLowerCase();
}

/** What the strict signature check needs besides the payment. */
export interface SignatureCheckOptions {
  /** ERC-6492 factories whose counterfactual wallets may pay (lowercase or any case). */
  allowedFactories: readonly string[];
  /** Result of {@link isSignedByPayerKey}, when already known. */
  signedByPayerKey?: boolean;
}

/**
 * Check the payment's signature against `authorization.from`, strictly as the token will:
 * no code at `from` → ECDSA recovery of a 65-byte signature; code at `from` (smart wallet,
 * EIP-7702 account) → ERC-1271 `isValidSignature` must return the magic value, with no
 * fallback to ECDSA (an ERC-6492 wrapped signature of a deployed wallet is unwrapped); an
 * ERC-6492 signature and no code → a counterfactual wallet, accepted here only when its
 * factory is allowed (its signature is checked by the simulation, which deploys it first).
 * Resolves with the payment as the token must receive it (inner signature, deployment).
 *
 * @example
 * ```ts
 * const result = await checkAuthorizationSignature(signer, payment, { allowedFactories: [] });
 * ```
 */
export async function checkAuthorizationSignature(
  signer: FacilitatorEvmSigner,
  payment: CheckedPayment,
  options: SignatureCheckOptions = { allowedFactories: [] },
): Promise<CheckResult<CheckedPayment>> {
  const { authorization: a } = payment;
  const wrapped = parseErc6492Signature(payment.signature);
  const code = await signer.getCode(a.from);
  const deployed = !!code && code !== "0x";
  if (!deployed && wrapped && !/^0x0{40}$/.test(wrapped.factory)) {
    const factory = wrapped.factory.toLowerCase();
    if (!options.allowedFactories.some((allowed) => allowed.toLowerCase() === factory))
      return fail(R.Eip6492FactoryNotAllowed, `wallet factory ${wrapped.factory} is not allowed`);
    const { factory: f, factoryCalldata, innerSignature } = wrapped;
    return {
      ok: true,
      value: { ...payment, signature: innerSignature, deployment: { factory: f, factoryCalldata } },
    };
  }
  const signature = wrapped?.innerSignature ?? payment.signature;
  const target = { ...payment, signature };
  if (!deployed) {
    if (size(signature) !== 65) return fail(R.Signature, "an EOA signature must be 65 bytes");
    const signed = options.signedByPayerKey ?? (await isSignedByPayerKey(target));
    return signed
      ? { ok: true, value: target }
      : fail(R.Signature, `signature is not from ${a.from} over the required payment and token domain`);
  }
  const result = await signer.call({
    to: a.from,
    data: encodeFunctionData({
      abi: erc1271Abi,
      functionName: "isValidSignature",
      args: [authorizationDigest(payment), signature],
    }),
  });
  if (result.ok && decodeMagic(result.data) === ERC1271_MAGIC_VALUE) return { ok: true, value: target };
  return fail(R.Signature, `wallet ${a.from} rejected the signature (ERC-1271)`);
}

function decodeMagic(data: `0x${string}`): string | undefined {
  try {
    return decodeFunctionResult({ abi: erc1271Abi, functionName: "isValidSignature", data }).toLowerCase();
  } catch {
    return undefined;
  }
}
