import { keccak256Bytes } from "../../signature/keccak256.js";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * The EIP-55 checksummed spelling of an address (what viem's `getAddress` returns), with the
 * bundle's own Keccak instead of viem's address utilities. Like `getAddress`, any letter case
 * is accepted (a wrong mixed-case checksum is not an error).
 *
 * @throws {TypeError} when `address` is not `0x` + 40 hex digits.
 * @example
 * ```ts
 * toChecksumAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"); // "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
 * ```
 */
export function toChecksumAddress(address: string): `0x${string}` {
  if (!ADDRESS.test(address)) throw new TypeError(`${address} is not an address`);
  const lower = address.slice(2).toLowerCase();
  const hash = keccak256Bytes(new TextEncoder().encode(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = i % 2 === 0 ? (hash[i >> 1] as number) >> 4 : (hash[i >> 1] as number) & 0x0f;
    out += nibble >= 8 ? (lower[i] as string).toUpperCase() : lower[i];
  }
  return out as `0x${string}`;
}
