// Fixed-size 32-byte ABI words written straight into one buffer: the EIP-712 struct hashes of
// the facilitator's hot path, without viem's generic encoder, hex round trips or checksums.

const MAX_UINT256 = 2n ** 256n - 1n;

function nibble(code: number, text: string): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  throw new TypeError(`${text} is not hex`);
}

/** Write `digits` (hex, no prefix, even length) so that it ends at byte `end` of `target`. */
function putHexDigits(target: Uint8Array, end: number, digits: string, text: string): void {
  const start = end - digits.length / 2;
  for (let byte = 0; byte < digits.length / 2; byte++)
    target[start + byte] =
      (nibble(digits.charCodeAt(2 * byte), text) << 4) | nibble(digits.charCodeAt(2 * byte + 1), text);
}

/**
 * A zeroed buffer of `count` ABI words.
 *
 * @example
 * ```ts
 * const words = abiWords(3);
 * ```
 */
export function abiWords(count: number): Uint8Array {
  return new Uint8Array(count * 32);
}

/**
 * Write a `uint256` into word `index`.
 *
 * @throws {RangeError} when `value` is outside uint256.
 * @example
 * ```ts
 * putUintWord(words, 1, 10000n);
 * ```
 */
export function putUintWord(words: Uint8Array, index: number, value: bigint): void {
  if (value < 0n || value > MAX_UINT256) throw new RangeError(`${value} is not a uint256`);
  const hex = value.toString(16);
  putHexDigits(words, (index + 1) * 32, hex.length % 2 === 0 ? hex : `0${hex}`, hex);
}

/**
 * Write a 20-byte address (any letter case, no checksum check) into word `index`.
 *
 * @throws {TypeError} when `address` is not `0x` + 40 hex digits.
 * @example
 * ```ts
 * putAddressWord(words, 0, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
 * ```
 */
export function putAddressWord(words: Uint8Array, index: number, address: string): void {
  if (address.length !== 42 || !address.startsWith("0x")) throw new TypeError(`${address} is not an address`);
  putHexDigits(words, (index + 1) * 32, address.slice(2), address);
}

/**
 * Write 32 bytes (a hash, or `bytes32` as `0x` + 64 hex digits) into word `index`.
 *
 * @throws {TypeError} for hex that is not exactly 32 bytes.
 * @example
 * ```ts
 * putBytes32Word(words, 0, TYPEHASH);
 * ```
 */
export function putBytes32Word(words: Uint8Array, index: number, value: Uint8Array | string): void {
  if (typeof value !== "string") {
    if (value.length !== 32) throw new TypeError("a word is 32 bytes");
    words.set(value, index * 32);
    return;
  }
  if (value.length !== 66 || !value.startsWith("0x")) throw new TypeError(`${value} is not 32 bytes`);
  putHexDigits(words, (index + 1) * 32, value.slice(2), value);
}
