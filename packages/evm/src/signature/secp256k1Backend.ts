import { secp256k1 } from "@noble/curves/secp256k1";

/**
 * Public-key recovery over secp256k1: `(signature r‖s, recovery id, 32-byte digest)` → the
 * 65-byte uncompressed key, or `undefined` when the signature recovers nothing.
 *
 * @example
 * ```ts
 * const backend = await loadSecp256k1Backend();
 * const publicKey = backend.recover(rs, 0, digest);
 * ```
 */
export interface Secp256k1Backend {
  /** `"native"` (libsecp256k1 through the `secp256k1` package) or `"pure"` (@noble/curves). */
  readonly kind: "native" | "pure";
  recover(rs: Uint8Array, recoveryId: 0 | 1, digest: Uint8Array): Uint8Array | undefined;
}

/** The pure-JS backend: works everywhere (browsers, workers, Node without the native addon). */
export const pureSecp256k1Backend: Secp256k1Backend = {
  kind: "pure",
  recover(rs, recoveryId, digest) {
    try {
      return secp256k1.Signature.fromCompact(rs)
        .addRecoveryBit(recoveryId)
        .recoverPublicKey(digest)
        .toRawBytes(false);
    } catch {
      return undefined;
    }
  },
};

interface NativeSecp256k1 {
  ecdsaRecover(signature: Uint8Array, recid: number, message: Uint8Array, compressed: boolean): Uint8Array;
}

let loading: Promise<Secp256k1Backend> | undefined;
let loaded: Secp256k1Backend | undefined;

/**
 * The fastest backend available, loaded once: libsecp256k1 (the optional `secp256k1`
 * dependency, prebuilt binaries) in Node, else the pure one. Set `X402_SECP256K1=pure` to
 * force the pure backend.
 *
 * @example
 * ```ts
 * (await loadSecp256k1Backend()).kind; // "native" in Node when secp256k1 installed
 * ```
 */
export function loadSecp256k1Backend(): Promise<Secp256k1Backend> {
  loading ??= loadNative().then((native) => {
    loaded = native ?? pureSecp256k1Backend;
    return loaded;
  });
  return loading;
}

/** The backend once {@link loadSecp256k1Backend} resolved, for synchronous callers. */
export function loadedSecp256k1Backend(): Secp256k1Backend | undefined {
  return loaded;
}

async function loadNative(): Promise<Secp256k1Backend | undefined> {
  const nodeProcess = (
    globalThis as { process?: { versions?: { node?: string }; env?: Record<string, string> } }
  ).process;
  if (!nodeProcess?.versions?.node || nodeProcess.env?.X402_SECP256K1 === "pure") return undefined;
  try {
    // A variable specifier keeps bundlers from pulling the Node addon into browser builds.
    const specifier = "secp256k1/bindings.js";
    const module = (await import(/* @vite-ignore */ specifier)) as { default?: NativeSecp256k1 };
    const native = (module.default ?? module) as NativeSecp256k1;
    if (typeof native.ecdsaRecover !== "function") return undefined;
    return {
      kind: "native",
      recover(rs, recoveryId, digest) {
        try {
          return native.ecdsaRecover(rs, recoveryId, digest, false);
        } catch {
          return undefined;
        }
      },
    };
  } catch {
    return undefined; // not installed, no prebuilt binary for this platform, or no native addons
  }
}
