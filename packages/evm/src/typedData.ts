/**
 * EIP-712 types of EIP-3009 `TransferWithAuthorization`, field order as in the token
 * contract (typehash `0x7c7c6cdb…2267`). The domain is exactly
 * `{ name, version, chainId, verifyingContract }`.
 *
 * @example
 * ```ts
 * await account.signTypedData({ domain, types: transferWithAuthorizationTypes,
 *   primaryType: "TransferWithAuthorization", message });
 * ```
 */
export const transferWithAuthorizationTypes = {
  TransferWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/**
 * The EIP-712 domain of an EIP-3009 token.
 *
 * @example
 * ```ts
 * const domain: Eip3009Domain = { name: "USD Coin", version: "2", chainId: 8453, verifyingContract: usdc };
 * ```
 */
export interface Eip3009Domain {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: `0x${string}`;
}

/**
 * The signed message of `TransferWithAuthorization`, with numbers as bigints.
 *
 * @example
 * ```ts
 * const message: TransferWithAuthorizationMessage = { from, to, value: 10000n, validAfter: 0n, validBefore, nonce };
 * ```
 */
export interface TransferWithAuthorizationMessage {
  from: `0x${string}`;
  to: `0x${string}`;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: `0x${string}`;
}

/**
 * Everything an EIP-712 signer needs to sign a `TransferWithAuthorization`.
 *
 * @example
 * ```ts
 * const typedData: TransferWithAuthorizationTypedData = transferWithAuthorizationTypedData(domain, message);
 * ```
 */
export interface TransferWithAuthorizationTypedData {
  domain: Eip3009Domain;
  types: typeof transferWithAuthorizationTypes;
  primaryType: "TransferWithAuthorization";
  message: TransferWithAuthorizationMessage;
}

/**
 * Assemble the typed data of a `TransferWithAuthorization` (used by the client to sign and
 * by the facilitator to check the signature, so both hash the very same structure).
 *
 * @example
 * ```ts
 * const typedData = transferWithAuthorizationTypedData(
 *   { name: "USDC", version: "2", chainId: 84532, verifyingContract: asset }, message);
 * ```
 */
export function transferWithAuthorizationTypedData(
  domain: Eip3009Domain,
  message: TransferWithAuthorizationMessage,
): TransferWithAuthorizationTypedData {
  return { domain, types: transferWithAuthorizationTypes, primaryType: "TransferWithAuthorization", message };
}
