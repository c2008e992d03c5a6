import { PERMIT2_ADDRESS } from "./constants.js";

const tokenPermissionsType = [
  { name: "token", type: "address" },
  { name: "amount", type: "uint256" },
] as const;

const permitWitnessTransferFromType = [
  { name: "permitted", type: "TokenPermissions" },
  { name: "spender", type: "address" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
  { name: "witness", type: "Witness" },
] as const;

/**
 * EIP-712 types of an `exact` Permit2 payment: `PermitWitnessTransferFrom` with the exact
 * proxy's witness `Witness(address to,uint256 validAfter)`.
 *
 * @example
 * ```ts
 * await account.signTypedData({ domain: permit2Domain(8453), types: permit2WitnessTypes, primaryType: "PermitWitnessTransferFrom", message });
 * ```
 */
export const permit2WitnessTypes = {
  PermitWitnessTransferFrom: permitWitnessTransferFromType,
  TokenPermissions: tokenPermissionsType,
  Witness: [
    { name: "to", type: "address" },
    { name: "validAfter", type: "uint256" },
  ],
} as const;

/**
 * EIP-712 types of an `upto` Permit2 payment: the witness binds the settling facilitator too,
 * `Witness(address to,address facilitator,uint256 validAfter)`.
 *
 * @example
 * ```ts
 * permit2WitnessTypedData(chainId, uptoPermit2WitnessTypes, message);
 * ```
 */
export const uptoPermit2WitnessTypes = {
  PermitWitnessTransferFrom: permitWitnessTransferFromType,
  TokenPermissions: tokenPermissionsType,
  Witness: [
    { name: "to", type: "address" },
    { name: "facilitator", type: "address" },
    { name: "validAfter", type: "uint256" },
  ],
} as const;

/** The witness types of one proxy (exact or upto): `Witness` is what differs. */
export type Permit2WitnessTypes = typeof permit2WitnessTypes | typeof uptoPermit2WitnessTypes;

/**
 * Permit2's EIP-712 domain on a chain: `{ name: "Permit2", chainId, verifyingContract }` —
 * no `version`.
 *
 * @example
 * ```ts
 * permit2Domain(8453); // { name: "Permit2", chainId: 8453, verifyingContract: "0x0000…8BA3" }
 * ```
 */
export function permit2Domain(chainId: number) {
  return { name: "Permit2", chainId, verifyingContract: PERMIT2_ADDRESS } as const;
}

/**
 * The signed message of a Permit2 payment, numbers as bigints; `witness` holds the proxy's
 * witness fields (`to`, `validAfter`, and for upto `facilitator`).
 *
 * @example
 * ```ts
 * const message: PermitWitnessTransferFromMessage = { permitted: { token, amount: 10000n }, spender, nonce, deadline, witness: { to, validAfter: 0n } };
 * ```
 */
export interface PermitWitnessTransferFromMessage {
  permitted: { token: `0x${string}`; amount: bigint };
  spender: `0x${string}`;
  nonce: bigint;
  deadline: bigint;
  witness: Record<string, `0x${string}` | bigint>;
}

/**
 * The full EIP-712 document of a Permit2 payment: sign it (client) or recover from it
 * (facilitator). `types` picks the proxy's witness ({@link permit2WitnessTypes} for exact,
 * {@link uptoPermit2WitnessTypes} for upto).
 *
 * @example
 * ```ts
 * const typedData = permit2WitnessTypedData(8453, permit2WitnessTypes, message);
 * const signature = await account.signTypedData(typedData);
 * ```
 */
export function permit2WitnessTypedData<T extends Permit2WitnessTypes>(
  chainId: number,
  types: T,
  message: PermitWitnessTransferFromMessage,
) {
  return {
    domain: permit2Domain(chainId),
    types,
    primaryType: "PermitWitnessTransferFrom" as const,
    message,
  };
}

/**
 * EIP-2612 `Permit` types (the gasless approval `eip2612GasSponsoring` carries).
 *
 * @example
 * ```ts
 * await account.signTypedData({ domain, types: eip2612PermitTypes, primaryType: "Permit", message });
 * ```
 */
export const eip2612PermitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;
