/**
 * A fresh Permit2 nonce: 256 cryptographically random bits as a decimal string (Permit2's
 * unordered nonces: any unused value works, random ones never collide).
 *
 * @example
 * ```ts
 * const nonce = createPermit2Nonce(); // "8315…"
 * ```
 */
export function createPermit2Nonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value.toString(10);
}
