const P = (1n << 255n) - 19n;
// y of the order-8 torsion points is ±C mod p; the other torsion points have y = 0, 1 or -1.
const C = 0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n;
const SMALL_ORDER_Y = new Set([0n, 1n, P - 1n, C, P - C]);

/**
 * True when 32 bytes encode an Ed25519 point of small order (canonical or not). Aptos verifies
 * signatures strictly and refuses such a public key or signature `R`; so does this stand-in.
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
  return SMALL_ORDER_Y.has((y & ((1n << 255n) - 1n)) % P);
}
