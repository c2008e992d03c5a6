import { createHash } from "node:crypto";
import {
  type Address,
  createKeyPairSignerFromPrivateKeyBytes,
  getAddressCodec,
  getBase58Decoder,
  type KeyPairSigner,
} from "@solana/kit";

/**
 * A devnet account: its address, a kit signer, and the secret in the two spellings Solana
 * tools use (64 bytes = seed ‖ public key, as a byte array and base58).
 *
 * @example
 * ```ts
 * const { signer, secretKeyBase58 } = devnet.accounts.payer;
 * ```
 */
export interface SolanaDevAccount {
  address: Address;
  signer: KeyPairSigner;
  /** 64 bytes: the 32-byte seed followed by the public key (`solana-keygen` JSON layout). */
  secretKey: Uint8Array;
  secretKeyBase58: string;
}

/**
 * The deterministic account of a role: its seed is SHA-256 of `x402kit solana devnet <role>`,
 * so the same keys come back on every start. PUBLIC TEST KEYS: never use them for real money.
 *
 * @example
 * ```ts
 * const payer = await devAccount("payer");
 * ```
 */
export async function devAccount(role: string): Promise<SolanaDevAccount> {
  const seed = new Uint8Array(createHash("sha256").update(`x402kit solana devnet ${role}`).digest());
  const signer = await createKeyPairSignerFromPrivateKeyBytes(seed, true);
  const secretKey = new Uint8Array(64);
  secretKey.set(seed, 0);
  secretKey.set(getAddressCodec().encode(signer.address), 32);
  return {
    address: signer.address,
    signer,
    secretKey,
    secretKeyBase58: getBase58Decoder().decode(secretKey),
  };
}
