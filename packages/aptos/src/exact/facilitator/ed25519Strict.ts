const P = (1n << 255n) - 19n;
// y of the two order-8 pairs of points (the others are ±1 and 0): y = ±C mod p.
const C = 0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n;
const SMALL_ORDER_Y = new Set([0n, 1n, P - 1n, C, P - C]);

/**
 * True when 32 bytes encode a point of small order on Ed25519 (one of the 8 torsion points,
 * canonical or not): such a public key or signature `R` lets a forged signature verify
 * (`A` = identity, `R` = identity, `S` = 0 passes a cofactored check). Aptos verifies
 * strictly and refuses them, so a facilitator must too.
 *
 * @example
 * ```ts
 * isSmallOrderEd25519Point(new Uint8Array([1, ...new Uint8Array(31)])); // true: the identity
 * ```
 */
export function isSmallOrderEd25519Point(encoded: Uint8Array): boolean {
  if (encoded.length !== 32) return false;
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(encoded[i] as number);
  y &= (1n << 255n) - 1n; // the top bit is the sign of x
  return SMALL_ORDER_Y.has(y % P);
}

/**
 * Ed25519 checks node:crypto does not make: the key and the signature's `R` must not be of
 * small order.
 *
 * @example
 * ```ts
 * if (!ed25519StrictlyValid(publicKey, signature)) return false;
 * ```
 */
export function ed25519StrictlyValid(publicKey: Uint8Array, signature: Uint8Array): boolean {
  return (
    publicKey.length === 32 &&
    signature.length === 64 &&
    !isSmallOrderEd25519Point(publicKey) &&
    !isSmallOrderEd25519Point(signature.subarray(0, 32))
  );
}
