/** Standard base64 with padding, as the x402 headers use it. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type NodeBuffer = { from(input: string, encoding: string): { toString(encoding: string): string } };
// Node's Buffer is much faster than btoa/TextEncoder; browsers use the portable path.
const NodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/**
 * Encode a UTF-8 string as standard base64.
 * @example
 * ```ts
 * encodeBase64("{}"); // "e30="
 * ```
 */
export function encodeBase64(text: string): string {
  if (NodeBuffer) return NodeBuffer.from(text, "utf8").toString("base64");
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Decode standard base64 into a UTF-8 string; `undefined` when it is not valid base64.
 * @example
 * ```ts
 * decodeBase64("e30="); // "{}"
 * decodeBase64("e30"); // undefined (no padding)
 * ```
 */
export function decodeBase64(encoded: string): string | undefined {
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) return undefined;
  if (NodeBuffer) return NodeBuffer.from(encoded, "base64").toString("utf8");
  const binary = atob(encoded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}
