/** `(address token, uint256 amount)` of Permit2's `TokenPermissions`. */
const tokenPermissions = {
  name: "permitted",
  type: "tuple",
  components: [
    { name: "token", type: "address" },
    { name: "amount", type: "uint256" },
  ],
} as const;

/** Permit2's `PermitTransferFrom` struct, as both proxies take it. */
const permitTransferFrom = {
  name: "permit",
  type: "tuple",
  components: [tokenPermissions, { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }],
} as const;

/** The proxies' `EIP2612Permit` struct (for `settleWithPermit`). */
const eip2612Permit = {
  name: "permit2612",
  type: "tuple",
  components: [
    { name: "value", type: "uint256" },
    { name: "deadline", type: "uint256" },
    { name: "r", type: "bytes32" },
    { name: "s", type: "bytes32" },
    { name: "v", type: "uint8" },
  ],
} as const;

const exactWitness = {
  name: "witness",
  type: "tuple",
  components: [
    { name: "to", type: "address" },
    { name: "validAfter", type: "uint256" },
  ],
} as const;

const uptoWitness = {
  name: "witness",
  type: "tuple",
  components: [
    { name: "to", type: "address" },
    { name: "facilitator", type: "address" },
    { name: "validAfter", type: "uint256" },
  ],
} as const;

const proxyViews = [
  {
    type: "function",
    name: "PERMIT2",
    inputs: [],
    outputs: [{ name: "", type: "address" }],
    stateMutability: "view",
  },
  {
    type: "function",
    name: "WITNESS_TYPEHASH",
    inputs: [],
    outputs: [{ name: "", type: "bytes32" }],
    stateMutability: "view",
  },
  {
    type: "function",
    name: "WITNESS_TYPE_STRING",
    inputs: [],
    outputs: [{ name: "", type: "string" }],
    stateMutability: "view",
  },
] as const;

const proxyEventsAndErrors = [
  { type: "event", name: "Settled", inputs: [], anonymous: false },
  { type: "event", name: "SettledWithPermit", inputs: [], anonymous: false },
  { type: "error", name: "InvalidDestination", inputs: [] },
  { type: "error", name: "InvalidOwner", inputs: [] },
  { type: "error", name: "InvalidPermit2Address", inputs: [] },
  { type: "error", name: "PaymentTooEarly", inputs: [] },
  { type: "error", name: "Permit2612AmountMismatch", inputs: [] },
  { type: "error", name: "ReentrancyGuardReentrantCall", inputs: [] },
] as const;

/**
 * ABI of `x402ExactPermit2Proxy`: `settle(permit, owner, witness{to, validAfter}, signature)`,
 * `settleWithPermit(permit2612, …)`, its views, events and custom errors.
 *
 * @example
 * ```ts
 * encodeFunctionData({ abi: x402ExactPermit2ProxyABI, functionName: "settle", args: [permit, owner, witness, signature] });
 * ```
 */
export const x402ExactPermit2ProxyABI = [
  ...proxyViews,
  {
    type: "function",
    name: "settle",
    inputs: [
      permitTransferFrom,
      { name: "owner", type: "address" },
      exactWitness,
      { name: "signature", type: "bytes" },
    ],
    outputs: [],
    stateMutability: "nonpayable",
  },
  {
    type: "function",
    name: "settleWithPermit",
    inputs: [
      eip2612Permit,
      permitTransferFrom,
      { name: "owner", type: "address" },
      exactWitness,
      { name: "signature", type: "bytes" },
    ],
    outputs: [],
    stateMutability: "nonpayable",
  },
  ...proxyEventsAndErrors,
  { type: "error", name: "InvalidAmount", inputs: [] },
] as const;

/**
 * ABI of `x402UptoPermit2Proxy`: like the exact proxy, but `settle`/`settleWithPermit` take the
 * charged `amount` after the permit, and the witness is `{to, facilitator, validAfter}`.
 *
 * @example
 * ```ts
 * encodeFunctionData({ abi: x402UptoPermit2ProxyABI, functionName: "settle", args: [permit, amount, owner, witness, signature] });
 * ```
 */
export const x402UptoPermit2ProxyABI = [
  ...proxyViews,
  {
    type: "function",
    name: "settle",
    inputs: [
      permitTransferFrom,
      { name: "amount", type: "uint256" },
      { name: "owner", type: "address" },
      uptoWitness,
      { name: "signature", type: "bytes" },
    ],
    outputs: [],
    stateMutability: "nonpayable",
  },
  {
    type: "function",
    name: "settleWithPermit",
    inputs: [
      eip2612Permit,
      permitTransferFrom,
      { name: "amount", type: "uint256" },
      { name: "owner", type: "address" },
      uptoWitness,
      { name: "signature", type: "bytes" },
    ],
    outputs: [],
    stateMutability: "nonpayable",
  },
  ...proxyEventsAndErrors,
  { type: "error", name: "AmountExceedsPermitted", inputs: [] },
  { type: "error", name: "UnauthorizedFacilitator", inputs: [] },
] as const;

/**
 * Custom errors a Permit2 settlement can revert with — Permit2's own (SignatureTransfer),
 * both proxies' and OpenZeppelin ERC-20's — for decoding raw revert data into names.
 *
 * @example
 * ```ts
 * decodeErrorResult({ abi: permit2ErrorsAbi, data: "0x756688fe" }).errorName; // "InvalidNonce"
 * ```
 */
export const permit2ErrorsAbi = [
  { type: "error", name: "InvalidNonce", inputs: [] },
  { type: "error", name: "InvalidSignature", inputs: [] },
  { type: "error", name: "InvalidSigner", inputs: [] },
  { type: "error", name: "InvalidSignatureLength", inputs: [] },
  { type: "error", name: "InvalidContractSignature", inputs: [] },
  { type: "error", name: "LengthMismatch", inputs: [] },
  { type: "error", name: "SignatureExpired", inputs: [{ name: "signatureDeadline", type: "uint256" }] },
  ...proxyEventsAndErrors.filter((item) => item.type === "error"),
  { type: "error", name: "InvalidAmount", inputs: [] },
  { type: "error", name: "AmountExceedsPermitted", inputs: [] },
  { type: "error", name: "UnauthorizedFacilitator", inputs: [] },
  {
    type: "error",
    name: "ERC20InsufficientBalance",
    inputs: [
      { name: "sender", type: "address" },
      { name: "balance", type: "uint256" },
      { name: "needed", type: "uint256" },
    ],
  },
  {
    type: "error",
    name: "ERC20InsufficientAllowance",
    inputs: [
      { name: "spender", type: "address" },
      { name: "allowance", type: "uint256" },
      { name: "needed", type: "uint256" },
    ],
  },
] as const;

/**
 * ERC-20 `allowance(owner, spender)`, to check a Permit2 approval.
 *
 * @example
 * ```ts
 * await publicClient.readContract({ address: token, abi: erc20AllowanceAbi, functionName: "allowance", args: [owner, PERMIT2_ADDRESS] });
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

/**
 * ERC-20 `approve`, `balanceOf` and EIP-2612 `permit`/`nonces`: the token calls of Permit2
 * payments and their gas-sponsoring extensions.
 *
 * @example
 * ```ts
 * encodeFunctionData({ abi: erc20PermitAbi, functionName: "approve", args: [PERMIT2_ADDRESS, MAX_UINT256] });
 * ```
 */
export const erc20PermitAbi = [
  ...erc20AllowanceAbi,
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
  {
    type: "function",
    name: "balanceOf",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ type: "uint256" }],
    stateMutability: "view",
  },
  {
    type: "function",
    name: "nonces",
    inputs: [{ name: "owner", type: "address" }],
    outputs: [{ type: "uint256" }],
    stateMutability: "view",
  },
  {
    type: "function",
    name: "permit",
    inputs: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "deadline", type: "uint256" },
      { name: "v", type: "uint8" },
      { name: "r", type: "bytes32" },
      { name: "s", type: "bytes32" },
    ],
    outputs: [],
    stateMutability: "nonpayable",
  },
] as const;
