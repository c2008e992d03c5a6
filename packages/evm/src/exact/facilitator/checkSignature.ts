import { type CheckResult, fail } from "@x402kit/core";
import { decodeFunctionResult, encodeFunctionData, hashTypedData, recoverTypedDataAddress, size } from "viem";
import { ERC1271_MAGIC_VALUE, erc1271Abi } from "../../abi.js";
import { ExactEvmReason as R } from "../../reasons.js";
import { transferWithAuthorizationTypedData } from "../../typedData.js";
import type { CheckedPayment } from "./checkPayment.js";
import type { FacilitatorEvmSigner } from "./signer.js";

/**
 * Check the payment's signature against `authorization.from`, strictly as the token will:
 * no code at `from` → ECDSA recovery of a 65-byte signature; code at `from` (smart wallet,
 * EIP-7702 account) → ERC-1271 `isValidSignature` must return the magic value, with no
 * fallback to ECDSA.
 *
 * @example
 * ```ts
 * const result = await checkAuthorizationSignature(signer, payment);
 * ```
 */
export async function checkAuthorizationSignature(
  signer: FacilitatorEvmSigner,
  payment: CheckedPayment,
): Promise<CheckResult> {
  const { authorization: a, signature } = payment;
  const typedData = transferWithAuthorizationTypedData(payment.domain, {
    from: a.from,
    to: a.to,
    value: BigInt(a.value),
    validAfter: BigInt(a.validAfter),
    validBefore: BigInt(a.validBefore),
    nonce: a.nonce,
  });
  const code = await signer.getCode(a.from);
  if (!code || code === "0x") {
    if (size(signature) !== 65) return fail(R.Signature, "an EOA signature must be 65 bytes");
    const recovered = await recoverTypedDataAddress({ ...typedData, signature }).catch(() => undefined);
    if (recovered?.toLowerCase() === a.from.toLowerCase()) return { ok: true, value: undefined };
    return fail(R.Signature, `signature is not from ${a.from} over the required payment and token domain`);
  }
  const result = await signer.call({
    to: a.from,
    data: encodeFunctionData({
      abi: erc1271Abi,
      functionName: "isValidSignature",
      args: [hashTypedData(typedData), signature],
    }),
  });
  if (result.ok && decodeMagic(result.data) === ERC1271_MAGIC_VALUE) return { ok: true, value: undefined };
  return fail(R.Signature, `wallet ${a.from} rejected the signature (ERC-1271)`);
}

function decodeMagic(data: `0x${string}`): string | undefined {
  try {
    return decodeFunctionResult({ abi: erc1271Abi, functionName: "isValidSignature", data }).toLowerCase();
  } catch {
    return undefined;
  }
}
