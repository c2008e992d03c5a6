import { decodeAbiParameters, encodeAbiParameters } from "viem";

/** The 32 bytes an ERC-6492 wrapped signature ends with. */
export const ERC6492_MAGIC_SUFFIX = "6492649264926492649264926492649264926492649264926492649264926492";

/**
 * The parts of an ERC-6492 signature: the factory and calldata that deploy the wallet, and
 * the signature the deployed wallet checks (ERC-1271).
 *
 * @example
 * ```ts
 * const wrapped: Erc6492Signature = { factory, factoryCalldata, innerSignature };
 * ```
 */
export interface Erc6492Signature {
  factory: `0x${string}`;
  factoryCalldata: `0x${string}`;
  innerSignature: `0x${string}`;
}

/**
 * Unwrap an ERC-6492 signature (`abi.encode(factory, factoryCalldata, innerSig) ‖ magic`), or
 * `undefined` when `signature` is not one (or is malformed).
 *
 * @example
 * ```ts
 * const wrapped = parseErc6492Signature(signature);
 * if (wrapped) console.log("counterfactual wallet, deployed by", wrapped.factory);
 * ```
 */
export function parseErc6492Signature(signature: `0x${string}`): Erc6492Signature | undefined {
  if (signature.length < 2 + 64 * 4 || !signature.toLowerCase().endsWith(ERC6492_MAGIC_SUFFIX))
    return undefined;
  try {
    const [factory, factoryCalldata, innerSignature] = decodeAbiParameters(
      [{ type: "address" }, { type: "bytes" }, { type: "bytes" }],
      signature.slice(0, -64) as `0x${string}`,
    );
    return { factory, factoryCalldata, innerSignature };
  } catch {
    return undefined;
  }
}

/**
 * Wrap a wallet's signature as ERC-6492 (what a counterfactual wallet's client sends).
 *
 * @example
 * ```ts
 * const signature = wrapErc6492Signature({ factory, factoryCalldata, innerSignature });
 * ```
 */
export function wrapErc6492Signature({
  factory,
  factoryCalldata,
  innerSignature,
}: Erc6492Signature): `0x${string}` {
  const encoded = encodeAbiParameters(
    [{ type: "address" }, { type: "bytes" }, { type: "bytes" }],
    [factory, factoryCalldata, innerSignature],
  );
  return `${encoded}${ERC6492_MAGIC_SUFFIX}`;
}
