import { decodeFunctionResult, encodeFunctionData, isAddress } from "viem";
import { eip3009Abi } from "../../abi.js";
import type { FacilitatorEvmSigner } from "./signer.js";

const nonceBitmapAbi = [
  {
    type: "function",
    name: "nonceBitmap",
    stateMutability: "view",
    inputs: [
      { name: "owner", type: "address" },
      { name: "wordPos", type: "uint256" },
    ],
    outputs: [{ name: "", type: "uint256" }],
  },
] as const;

/**
 * Whether the authorization a settlement record stands for is spent on chain, read from its
 * ledger key: EIP-3009 `authorizationState(from, nonce)` on the token
 * (`<network>:<asset>:<from>:<nonce>`), or the nonce's bit in Permit2's `nonceBitmap(owner,
 * nonce >> 8)` (`<network>:permit2:<permit2>:<owner>:<nonce>`). A spent authorization means
 * the money moved: its record must never be forgotten, whatever the receipt lookups say.
 * `undefined` when the key has neither shape or the read failed.
 *
 * @example
 * ```ts
 * if (await authorizationSpent(signer, key)) return "pending"; // keep the record
 * ```
 */
export async function authorizationSpent(
  signer: FacilitatorEvmSigner,
  key: string,
): Promise<boolean | undefined> {
  const parts = key.split(":");
  try {
    if (parts.length === 6 && parts[2] === "permit2") {
      const [, , , permit2, owner, nonceText] = parts as [string, string, string, string, string, string];
      if (!isAddress(permit2, { strict: false }) || !isAddress(owner, { strict: false })) return undefined;
      const nonce = BigInt(nonceText);
      const result = await signer.call({
        to: permit2,
        data: encodeFunctionData({
          abi: nonceBitmapAbi,
          functionName: "nonceBitmap",
          args: [owner, nonce >> 8n],
        }),
      });
      if (!result.ok) return undefined;
      const word = decodeFunctionResult({
        abi: nonceBitmapAbi,
        functionName: "nonceBitmap",
        data: result.data,
      });
      return ((word >> (nonce & 0xffn)) & 1n) === 1n;
    }
    if (parts.length === 5) {
      const [, , asset, from, nonce] = parts as [string, string, string, string, string];
      if (!isAddress(asset, { strict: false }) || !isAddress(from, { strict: false })) return undefined;
      if (!/^0x[0-9a-f]{64}$/.test(nonce)) return undefined;
      const result = await signer.call({
        to: asset,
        data: encodeFunctionData({
          abi: eip3009Abi,
          functionName: "authorizationState",
          args: [from, nonce as `0x${string}`],
        }),
      });
      if (!result.ok) return undefined;
      return decodeFunctionResult({ abi: eip3009Abi, functionName: "authorizationState", data: result.data });
    }
  } catch {
    return undefined;
  }
  return undefined;
}
