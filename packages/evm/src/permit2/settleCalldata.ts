import { encodeFunctionData, getAddress, hexToNumber, size, slice } from "viem";
import { x402ExactPermit2ProxyABI } from "./abi.js";
import type { ExactPermit2Payload, Permit2Authorization } from "./payload.js";

/**
 * Permit2's `PermitTransferFrom` struct of a payload (the `permit` argument of both proxies).
 *
 * @example
 * ```ts
 * const permit = permitTransferFromOf(payload.permit2Authorization);
 * ```
 */
export function permitTransferFromOf(auth: Permit2Authorization<unknown>) {
  return {
    permitted: { token: getAddress(auth.permitted.token), amount: BigInt(auth.permitted.amount) },
    nonce: BigInt(auth.nonce),
    deadline: BigInt(auth.deadline),
  };
}

/**
 * An EIP-2612 permit from the `eip2612GasSponsoring` info, as the proxies' `settleWithPermit`
 * takes it: the 65-byte signature split into r (bytes 0–31), s (32–63), v (byte 64).
 *
 * @example
 * ```ts
 * const permit2612 = eip2612PermitArgOf({ amount: "10000", deadline: "1900000000", signature });
 * ```
 */
export function eip2612PermitArgOf(info: { amount: string; deadline: string; signature: string }) {
  const signature = info.signature as `0x${string}`;
  if (size(signature) !== 65) throw new Error("an EIP-2612 signature must be 65 bytes");
  return {
    value: BigInt(info.amount),
    deadline: BigInt(info.deadline),
    r: slice(signature, 0, 32),
    s: slice(signature, 32, 64),
    v: hexToNumber(slice(signature, 64, 65)),
  };
}

/**
 * Calldata of the exact proxy's `settle(permit, owner, witness, signature)` for a payload, or
 * of `settleWithPermit(permit2612, …)` when an EIP-2612 permit is given.
 *
 * @example
 * ```ts
 * await signer.sendTransaction({ to: x402ExactPermit2ProxyAddress, data: encodeExactPermit2Settle(payload) });
 * ```
 */
export function encodeExactPermit2Settle(
  payload: ExactPermit2Payload,
  permit2612?: { amount: string; deadline: string; signature: string },
): `0x${string}` {
  const auth = payload.permit2Authorization;
  const args = [
    permitTransferFromOf(auth),
    getAddress(auth.from),
    { to: getAddress(auth.witness.to), validAfter: BigInt(auth.witness.validAfter) },
    payload.signature,
  ] as const;
  return permit2612
    ? encodeFunctionData({
        abi: x402ExactPermit2ProxyABI,
        functionName: "settleWithPermit",
        args: [eip2612PermitArgOf(permit2612), ...args],
      })
    : encodeFunctionData({ abi: x402ExactPermit2ProxyABI, functionName: "settle", args });
}
