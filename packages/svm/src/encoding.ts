const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

type BufferLike = {
  from(data: string | Uint8Array, encoding?: string): Uint8Array & { toString(encoding: string): string };
};
// Node's Buffer is several times faster than atob/btoa; browsers take the portable path.
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

/**
 * Base58 (Bitcoin alphabet, as Solana uses) of bytes.
 *
 * @example
 * ```ts
 * bytesToBase58(new Uint8Array(32)); // "11111111111111111111111111111111"
 * ```
 */
export function bytesToBase58(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const digits: number[] = [];
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i] as number;
    for (let j = 0; j < digits.length; j++) {
      carry += (digits[j] as number) << 8;
      digits[j] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = "1".repeat(zeros);
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i] as number];
  return out;
}

/**
 * Bytes of a base58 string.
 *
 * @throws {Error} on a character outside the alphabet.
 * @example
 * ```ts
 * base58ToBytes("11111111111111111111111111111111").length; // 32
 * ```
 */
export function base58ToBytes(text: string): Uint8Array {
  let zeros = 0;
  while (zeros < text.length && text[zeros] === "1") zeros++;
  const bytes: number[] = [];
  for (let i = zeros; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (INDEX[code] as number) : -1;
    if (value < 0) throw new Error(`invalid base58 character "${text[i]}"`);
    let carry = value;
    for (let j = 0; j < bytes.length; j++) {
      carry += (bytes[j] as number) * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let i = 0; i < bytes.length; i++) out[out.length - 1 - i] = bytes[i] as number;
  return out;
}

/**
 * Strict base64 → bytes (standard alphabet, padding optional).
 *
 * @throws {Error} when `text` is not base64.
 * @example
 * ```ts
 * base64ToBytes("AQI="); // Uint8Array [1, 2]
 * ```
 */
export function base64ToBytes(text: string): Uint8Array {
  if (typeof text !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1)
    throw new Error("not base64");
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(text, "base64"));
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Bytes → base64 (standard alphabet, padded).
 *
 * @example
 * ```ts
 * bytesToBase64(new Uint8Array([1, 2])); // "AQI="
 * ```
 */
export function bytesToBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes).toString("base64");
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
