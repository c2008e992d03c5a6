import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";

interface NodeCrypto {
  createHash(algorithm: string): { update(data: Uint8Array): { digest(): Uint8Array } };
  createPublicKey(key: { key: Uint8Array; format: "der"; type: "spki" }): unknown;
  verify(algorithm: null, data: Uint8Array, key: unknown, signature: Uint8Array): boolean;
}

// `process.getBuiltinModule` (Node ≥ 20.16, Deno, Bun) reaches node:crypto without a static
// import, so browser bundles never see it and take the pure-JS path.
const nodeCrypto = (() => {
  try {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
      ?.getBuiltinModule;
    return typeof get === "function" ? (get("node:crypto") as NodeCrypto | undefined) : undefined;
  } catch {
    return undefined;
  }
})();

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows. */
const SPKI_PREFIX = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** Which Ed25519 implementation verifies: OpenSSL through `node:crypto`, or `@noble/curves`. */
export const ed25519Backend: "node:crypto" | "noble" = nodeCrypto ? "node:crypto" : "noble";

/**
 * Verify an Ed25519 signature (64 bytes) by a 32-byte public key. Never throws.
 *
 * @example
 * ```ts
 * verifyEd25519(signature, messageBytes, publicKey); // true
 * ```
 */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    if (nodeCrypto) {
      const der = new Uint8Array(44);
      der.set(SPKI_PREFIX, 0);
      der.set(publicKey, 12);
      const key = nodeCrypto.createPublicKey({ key: der, format: "der", type: "spki" });
      return nodeCrypto.verify(null, message, key, signature);
    }
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

/**
 * SHA-256 of bytes (node:crypto where available, else `@noble/hashes`).
 *
 * @example
 * ```ts
 * sha256(messageBytes).length; // 32
 * ```
 */
export function sha256(data: Uint8Array): Uint8Array {
  return nodeCrypto
    ? new Uint8Array(nodeCrypto.createHash("sha256").update(data).digest())
    : nobleSha256(data);
}
