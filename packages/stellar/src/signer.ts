import { Keypair } from "@stellar/stellar-sdk";
import { basicNodeSigner, type SignAuthEntry, type SignTransaction } from "@stellar/stellar-sdk/contract";
import { STELLAR_TESTNET_CAIP2 } from "./constants.js";
import { getNetworkPassphrase } from "./networks.js";

/**
 * An ed25519 Stellar signer (SEP-43 shaped, without `signMessage`).
 *
 * @example
 * ```ts
 * const signer: Ed25519Signer = createEd25519Signer(secret, "stellar:testnet");
 * ```
 */
export type Ed25519Signer = {
  address: string;
  signAuthEntry: SignAuthEntry;
  signTransaction: SignTransaction;
};

/**
 * What the facilitator signs with: its account (fee source of settlements).
 *
 * @example
 * ```ts
 * const signer: FacilitatorStellarSigner = createEd25519Signer(process.env.FACILITATOR_SECRET!);
 * ```
 */
export type FacilitatorStellarSigner = Ed25519Signer;

/**
 * What a paying client signs with: its address (G account or C smart wallet) and auth-entry
 * signing; it never signs a transaction envelope in `exact`.
 *
 * @example
 * ```ts
 * const signer: ClientStellarSigner = createEd25519Signer(process.env.PAYER_SECRET!);
 * ```
 */
export type ClientStellarSigner = {
  address: string;
  signAuthEntry: SignAuthEntry;
  signTransaction?: SignTransaction;
};

/**
 * An {@link Ed25519Signer} from a secret key (`S…`); `defaultNetwork` picks the passphrase its
 * `signTransaction` uses when none is given (any network of the table).
 *
 * @example
 * ```ts
 * const signer = createEd25519Signer(Keypair.random().secret(), "stellar:testnet");
 * ```
 */
export function createEd25519Signer(
  privateKey: string,
  defaultNetwork: string = STELLAR_TESTNET_CAIP2,
): Ed25519Signer {
  const keypair = Keypair.fromSecret(privateKey);
  const { signAuthEntry, signTransaction } = basicNodeSigner(keypair, getNetworkPassphrase(defaultNetwork));
  return { address: keypair.publicKey(), signAuthEntry, signTransaction };
}

/**
 * True for a value shaped like a {@link FacilitatorStellarSigner}.
 *
 * @example
 * ```ts
 * isFacilitatorStellarSigner(createEd25519Signer(secret)); // true
 * ```
 */
export function isFacilitatorStellarSigner(signer: unknown): signer is FacilitatorStellarSigner {
  const s = signer as Partial<FacilitatorStellarSigner> | null;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.address === "string" &&
    typeof s.signAuthEntry === "function" &&
    typeof s.signTransaction === "function"
  );
}

/**
 * True for a value shaped like a {@link ClientStellarSigner}.
 *
 * @example
 * ```ts
 * isClientStellarSigner({ address: "G…", signAuthEntry }); // true
 * ```
 */
export function isClientStellarSigner(signer: unknown): signer is ClientStellarSigner {
  const s = signer as Partial<ClientStellarSigner> | null;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.address === "string" &&
    typeof s.signAuthEntry === "function" &&
    (s.signTransaction === undefined || typeof s.signTransaction === "function")
  );
}
