import { encodeFunctionData, maxUint256 } from "viem";

/** Uniswap's canonical Permit2, at the same address on every EVM chain. */
const PERMIT2 = "0x000000000022D473030F116dDEE9F6B43aC78BA3" as const;

/**
 * ABI of ERC-20 `allowance(owner, spender)`, to check a Permit2 approval.
 *
 * @example
 * ```ts
 * await publicClient.readContract({ address: token, abi: erc20AllowanceAbi, functionName: "allowance", args: [owner, spender] });
 * ```
 */
export const erc20AllowanceAbi = [
  {
    type: "function",
    name: "allowance",
    inputs: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
    ],
    outputs: [{ type: "uint256" }],
    stateMutability: "view",
  },
] as const;

const approveAbi = [
  {
    type: "function",
    name: "approve",
    inputs: [
      { name: "spender", type: "address" },
      { name: "amount", type: "uint256" },
    ],
    outputs: [{ type: "bool" }],
    stateMutability: "nonpayable",
  },
] as const;

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
    args: [params.ownerAddress, PERMIT2] as [`0x${string}`, `0x${string}`],
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
    data: encodeFunctionData({ abi: approveAbi, functionName: "approve", args: [PERMIT2, maxUint256] }),
  };
}
