import { encodeFunctionData, getAddress } from "viem";
import { eip2612PermitArgOf, permitTransferFromOf, x402UptoPermit2ProxyABI } from "../../permit2/index.js";
import { encodeUptoPlainSettle } from "../../permit2/settleCalldata.js";
import type { UptoPermit2Payload } from "../payload.js";

/**
 * Calldata of the upto proxy's `settle(permit, amount, owner, witness, signature)` — or, with
 * an EIP-2612 permit of the payer for Permit2, `settleWithPermit(permit2612, …)`: the signed
 * permit of the maximum, and the `amount` actually charged (≤ the maximum).
 *
 * @example
 * ```ts
 * const data = encodeUptoSettle(payload, 1858n);
 * ```
 */
export function encodeUptoSettle(
  payload: UptoPermit2Payload,
  amount: bigint,
  permit2612?: { amount: string; deadline: string; signature: string },
): `0x${string}` {
  const auth = payload.permit2Authorization;
  if (!permit2612) return encodeUptoPlainSettle(auth, payload.signature, amount);
  return encodeFunctionData({
    abi: x402UptoPermit2ProxyABI,
    functionName: "settleWithPermit",
    args: [
      eip2612PermitArgOf(permit2612),
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
