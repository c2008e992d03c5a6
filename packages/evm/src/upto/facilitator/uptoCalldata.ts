import { encodeFunctionData, getAddress } from "viem";
import { permitTransferFromOf, x402UptoPermit2ProxyABI } from "../../permit2/index.js";
import type { UptoPermit2Payload } from "../payload.js";

/**
 * Calldata of the upto proxy's `settle(permit, amount, owner, witness, signature)`: the signed
 * permit of the maximum, and the `amount` actually charged (≤ the maximum).
 *
 * @example
 * ```ts
 * const data = encodeUptoSettle(payload, 1858n);
 * ```
 */
export function encodeUptoSettle(payload: UptoPermit2Payload, amount: bigint): `0x${string}` {
  const auth = payload.permit2Authorization;
  return encodeFunctionData({
    abi: x402UptoPermit2ProxyABI,
    functionName: "settle",
    args: [
      permitTransferFromOf(auth),
      amount,
      getAddress(auth.from),
      {
        to: getAddress(auth.witness.to),
        facilitator: getAddress(auth.witness.facilitator),
        validAfter: BigInt(auth.witness.validAfter),
      },
      payload.signature,
    ],
  });
}
