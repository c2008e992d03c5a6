/**
 * Minimal ABI fragments the EVM exact scheme needs: the two EIP-3009
 * `transferWithAuthorization` overloads (v,r,s for 65-byte EOA signatures, `bytes` for
 * ERC-1271 wallets, USDC v2.2+), `authorizationState`, and the ERC-20 reads and event.
 *
 * @example
 * ```ts
 * encodeFunctionData({ abi: eip3009Abi, functionName: "authorizationState", args: [from, nonce] });
 * ```
 */
export const eip3009Abi = [
  {
    type: "function",
    name: "transferWithAuthorization",
    stateMutability: "nonpayable",
    inputs: [
      { name: "from", type: "address" },
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
      { name: "validAfter", type: "uint256" },
      { name: "validBefore", type: "uint256" },
      { name: "nonce", type: "bytes32" },
      { name: "v", type: "uint8" },
      { name: "r", type: "bytes32" },
      { name: "s", type: "bytes32" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "transferWithAuthorization",
    stateMutability: "nonpayable",
    inputs: [
      { name: "from", type: "address" },
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
      { name: "validAfter", type: "uint256" },
      { name: "validBefore", type: "uint256" },
      { name: "nonce", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "authorizationState",
    stateMutability: "view",
    inputs: [
      { name: "authorizer", type: "address" },
      { name: "nonce", type: "bytes32" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "balanceOf",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "name",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "string" }],
  },
  {
    type: "function",
    name: "version",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "string" }],
  },
  {
    type: "event",
    name: "Transfer",
    inputs: [
      { name: "from", type: "address", indexed: true },
      { name: "to", type: "address", indexed: true },
      { name: "value", type: "uint256", indexed: false },
    ],
    anonymous: false,
  },
] as const;

/**
 * ERC-1271 `isValidSignature`, used to check signatures of smart-contract wallets.
 *
 * @example
 * ```ts
 * encodeFunctionData({ abi: erc1271Abi, functionName: "isValidSignature", args: [digest, signature] });
 * ```
 */
export const erc1271Abi = [
  {
    type: "function",
    name: "isValidSignature",
    stateMutability: "view",
    inputs: [
      { name: "hash", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [{ name: "magicValue", type: "bytes4" }],
  },
] as const;

/**
 * What a valid ERC-1271 `isValidSignature` returns.
 *
 * @example
 * ```ts
 * if (result === ERC1271_MAGIC_VALUE) console.log("wallet accepts the signature");
 * ```
 */
export const ERC1271_MAGIC_VALUE = "0x1626ba7e";

/**
 * Multicall3 (`0xcA11bde05977b3631167028862bE2a173976CA11` on most chains): `aggregate3` runs
 * several calls in one `eth_call` (the facilitator batches concurrent simulations with it);
 * `tryAggregate` simulates a counterfactual wallet's deployment followed by its transfer.
 *
 * @example
 * ```ts
 * encodeFunctionData({ abi: multicall3Abi, functionName: "aggregate3", args: [[{ target, allowFailure: true, callData }]] });
 * ```
 */
export const multicall3Abi = [
  {
    type: "function",
    name: "aggregate3",
    stateMutability: "payable",
    inputs: [
      {
        name: "calls",
        type: "tuple[]",
        components: [
          { name: "target", type: "address" },
          { name: "allowFailure", type: "bool" },
          { name: "callData", type: "bytes" },
        ],
      },
    ],
    outputs: [
      {
        name: "returnData",
        type: "tuple[]",
        components: [
          { name: "success", type: "bool" },
          { name: "returnData", type: "bytes" },
        ],
      },
    ],
  },
] as const;

/**
 * The canonical Multicall3 address (same on every chain that has it; the devnet places one there).
 *
 * @example
 * ```ts
 * await signer.getCode(MULTICALL3_ADDRESS);
 * ```
 */
export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11";
