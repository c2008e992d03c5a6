// The three ERC-20 calls of the client's gas-sponsoring extensions, ABI-encoded by hand (a
// selector plus 32-byte words) so the browser bundle carries no generic ABI coder.
import { abiWords, putAddressWord, putUintWord } from "../../signature/abiWords.js";

/** `allowance(address,address)` */
const ALLOWANCE_SELECTOR = "dd62ed3e";
/** `nonces(address)` */
const NONCES_SELECTOR = "7ecebe00";
/** `approve(address,uint256)` */
const APPROVE_SELECTOR = "095ea7b3";

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * Calldata of ERC-20 `allowance(owner, spender)`.
 *
 * @example
 * ```ts
 * const data = encodeAllowanceCall(payer, PERMIT2_ADDRESS);
 * ```
 */
export function encodeAllowanceCall(owner: string, spender: string): `0x${string}` {
  const words = abiWords(2);
  putAddressWord(words, 0, owner);
  putAddressWord(words, 1, spender);
  return `0x${ALLOWANCE_SELECTOR}${toHex(words)}`;
}

/**
 * Calldata of EIP-2612 `nonces(owner)`.
 *
 * @example
 * ```ts
 * const data = encodeNoncesCall(payer);
 * ```
 */
export function encodeNoncesCall(owner: string): `0x${string}` {
  const words = abiWords(1);
  putAddressWord(words, 0, owner);
  return `0x${NONCES_SELECTOR}${toHex(words)}`;
}

/**
 * Calldata of ERC-20 `approve(spender, amount)`.
 *
 * @example
 * ```ts
 * const data = encodeApproveCall(PERMIT2_ADDRESS, MAX_UINT256);
 * ```
 */
export function encodeApproveCall(spender: string, amount: bigint): `0x${string}` {
  const words = abiWords(2);
  putAddressWord(words, 0, spender);
  putUintWord(words, 1, amount);
  return `0x${APPROVE_SELECTOR}${toHex(words)}`;
}

/**
 * The `uint256` a call returned (its first 32-byte word).
 *
 * @throws {TypeError} when `data` is not hex of at least one word.
 * @example
 * ```ts
 * decodeUint256Result(await rpc("eth_call", [{ to, data }, "latest"])); // 1000000n
 * ```
 */
export function decodeUint256Result(data: string): bigint {
  if (!/^0x[0-9a-fA-F]{64}/.test(data)) throw new TypeError(`${data.slice(0, 20)}… is not a uint256 result`);
  return BigInt(data.slice(0, 66));
}
