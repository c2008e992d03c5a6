import { erc20AllowanceAbi } from "../../permit2/abi.js";
import { MAX_UINT256, PERMIT2_ADDRESS } from "../../permit2/constants.js";
import { encodeApproveCall } from "./tokenCalls.js";

export { erc20AllowanceAbi };

/** Who holds the tokens and which token, for {@link getPermit2AllowanceReadParams}. */
export interface Permit2AllowanceParams {
  tokenAddress: `0x${string}`;
  ownerAddress: `0x${string}`;
}

/**
 * The contract read that tells how much of a token Permit2 may move for its owner.
 *
 * @example
 * ```ts
 * const allowance = await publicClient.readContract(getPermit2AllowanceReadParams({ tokenAddress, ownerAddress }));
 * ```
 */
export function getPermit2AllowanceReadParams(params: Permit2AllowanceParams) {
  return {
    address: params.tokenAddress,
    abi: erc20AllowanceAbi,
    functionName: "allowance" as const,
    args: [params.ownerAddress, PERMIT2_ADDRESS] as [`0x${string}`, `0x${string}`],
  };
}

/**
 * The transaction a payer sends once (paying gas) so that Permit2 may move a token:
 * `approve(Permit2, max)`.
 *
 * @example
 * ```ts
 * const tx = createPermit2ApprovalTx(usdc);
 * await walletClient.sendTransaction({ to: tx.to, data: tx.data });
 * ```
 */
export function createPermit2ApprovalTx(tokenAddress: `0x${string}`): {
  to: `0x${string}`;
  data: `0x${string}`;
} {
  return {
    to: tokenAddress,
    data: encodeApproveCall(PERMIT2_ADDRESS, MAX_UINT256),
  };
}
