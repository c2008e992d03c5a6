/**
 * Uniswap's canonical Permit2 (SignatureTransfer), at the same address on every EVM chain.
 * It is the EIP-712 `verifyingContract` of every Permit2 payment signature.
 *
 * @example
 * ```ts
 * getPermit2AllowanceReadParams({ tokenAddress, ownerAddress }).args[1] === PERMIT2_ADDRESS; // true
 * ```
 */
export const PERMIT2_ADDRESS = "0x000000000022D473030F116dDEE9F6B43aC78BA3" as const;

/**
 * `x402ExactPermit2Proxy` (CREATE2, same address on every chain): the `spender` of an `exact`
 * Permit2 payment; its `settle` moves exactly the permitted amount to the witness's `to`.
 *
 * @example
 * ```ts
 * if (auth.spender.toLowerCase() !== x402ExactPermit2ProxyAddress.toLowerCase()) throw new Error("wrong proxy");
 * ```
 */
export const x402ExactPermit2ProxyAddress = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001" as const;

/**
 * `x402UptoPermit2Proxy` (CREATE2, same address on every chain): the `spender` of an `upto`
 * Permit2 payment; its `settle` takes the amount actually charged (at most the permitted one).
 *
 * @example
 * ```ts
 * const spender = x402UptoPermit2ProxyAddress;
 * ```
 */
export const x402UptoPermit2ProxyAddress = "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002" as const;

/** 2^256 − 1: the approval the ERC-20 approval extension grants Permit2. */
export const MAX_UINT256 = 2n ** 256n - 1n;

/** Seconds a Permit2 `deadline` (or an EIP-2612 permit deadline) must outlive verification. */
export const PERMIT2_DEADLINE_BUFFER_SECONDS = 6;
