import { encodeFunctionData, size, slice } from "viem";
import { eip3009Abi } from "../../abi.js";
import type { CheckedPayment } from "./checkPayment.js";

/**
 * Calldata of `transferWithAuthorization` for a payment: the (v,r,s) overload for a
 * 65-byte ECDSA signature (works on every EIP-3009 token), the `bytes` overload otherwise
 * (ERC-1271 wallets; USDC v2.2+).
 *
 * @example
 * ```ts
 * await signer.sendTransaction({ to: payment.asset, data: encodeTransferWithAuthorization(payment) });
 * ```
 */
export function encodeTransferWithAuthorization({
  authorization: a,
  signature,
}: CheckedPayment): `0x${string}` {
  const head = [a.from, a.to, BigInt(a.value), BigInt(a.validAfter), BigInt(a.validBefore), a.nonce] as const;
  if (size(signature) !== 65)
    return encodeFunctionData({
      abi: eip3009Abi,
      functionName: "transferWithAuthorization",
      args: [...head, signature],
    });
  const v = Number.parseInt(signature.slice(130, 132), 16);
  return encodeFunctionData({
    abi: eip3009Abi,
    functionName: "transferWithAuthorization",
    // Some signers emit v as 0/1 (y-parity); the token's ecrecover wants 27/28.
    args: [...head, v < 27 ? v + 27 : v, slice(signature, 0, 32), slice(signature, 32, 64)],
  });
}
