import { bytesToHex, hexToBytes } from "viem";
import { keccak256Bytes } from "./keccak256.js";
import { loadSecp256k1Backend, type Secp256k1Backend } from "./secp256k1Backend.js";

/** secp256k1 order / 2: signatures with a larger `s` are malleable copies that tokens reject (EIP-2). */
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const SIGNATURE_65 = /^0x[0-9a-fA-F]{130}$/;
const DIGEST = /^0x[0-9a-fA-F]{64}$/;

/**
 * The address that signed a 32-byte digest with a 65-byte `r‖s‖v` signature, lowercase, or
 * `undefined` when the signature cannot be one an ecrecover-based contract accepts (wrong
 * length, `v` not 27/28/0/1, `r` or `s` zero, high `s`, no point). Uses libsecp256k1 when it
 * is installed (Node), the pure backend otherwise.
 *
 * @example
 * ```ts
 * const signer = await recoverDigestSigner(transferWithAuthorizationDigest(domain, message), signature);
 * if (signer === authorization.from.toLowerCase()) console.log("signed by the payer");
 * ```
 */
export async function recoverDigestSigner(
  digest: `0x${string}`,
  signature: `0x${string}`,
): Promise<`0x${string}` | undefined> {
  return recoverDigestSignerWith(await loadSecp256k1Backend(), digest, signature);
}

/**
 * {@link recoverDigestSigner} with a chosen backend (synchronous).
 *
 * @example
 * ```ts
 * recoverDigestSignerWith(pureSecp256k1Backend, digest, signature);
 * ```
 */
export function recoverDigestSignerWith(
  backend: Secp256k1Backend,
  digest: `0x${string}`,
  signature: `0x${string}`,
): `0x${string}` | undefined {
  if (!SIGNATURE_65.test(signature) || !DIGEST.test(digest)) return undefined;
  const v = Number.parseInt(signature.slice(130, 132), 16);
  const recoveryId = v === 27 || v === 0 ? 0 : v === 28 || v === 1 ? 1 : undefined;
  if (recoveryId === undefined) return undefined;
  const r = BigInt(`0x${signature.slice(2, 66)}`);
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  if (r === 0n || s === 0n || s > HALF_ORDER) return undefined;
  const publicKey = backend.recover(
    hexToBytes(`0x${signature.slice(2, 130)}`),
    recoveryId,
    hexToBytes(digest),
  );
  if (publicKey?.length !== 65) return undefined;
  const hash = keccak256Bytes(publicKey.subarray(1));
  return bytesToHex(hash.subarray(12));
}
