import { Keypair, StrKey } from "@stellar/stellar-sdk";

let webCryptoEd25519 = true;

/**
 * Verify an ed25519 signature with WebCrypto (native in Node 20+, Deno, Bun, workers and
 * current browsers: several times faster than the SDK's JavaScript implementation), falling
 * back to the SDK where WebCrypto has no Ed25519.
 *
 * @example
 * ```ts
 * await verifyEd25519(keypair.rawPublicKey(), payload, signature); // true
 * ```
 */
export async function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  if (webCryptoEd25519) {
    try {
      const subtle = globalThis.crypto.subtle;
      const key = await subtle.importKey("raw", copy(publicKey), { name: "Ed25519" }, false, ["verify"]);
      return await subtle.verify({ name: "Ed25519" }, key, copy(signature), copy(message));
    } catch (error) {
      // A runtime without Ed25519 in WebCrypto: use the SDK from now on. Anything else is a bad key.
      if ((error as { name?: string })?.name !== "NotSupportedError" && globalThis.crypto?.subtle)
        return false;
      webCryptoEd25519 = false;
    }
  }
  const keypair = Keypair.fromPublicKey(StrKey.encodeEd25519PublicKey(Buffer.from(publicKey)));
  return keypair.verify(Buffer.from(message), Buffer.from(signature));
}

/** WebCrypto wants bytes over a plain ArrayBuffer. */
function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
