import { Account, Ed25519PrivateKey, PrivateKey, PrivateKeyVariants } from "@aptos-labs/ts-sdk";

/**
 * The client's signer: an SDK `Account` (Ed25519, SingleKey or keyless), as in `@x402/aptos`.
 *
 * @example
 * ```ts
 * const signer: ClientAptosSigner = Account.generate();
 * ```
 */
export type ClientAptosSigner = Account;

/**
 * Options of the client scheme.
 *
 * @example
 * ```ts
 * const config: ClientAptosConfig = { rpcUrl: "http://127.0.0.1:8080/v1", expirationSeconds: 60 };
 * ```
 */
export interface ClientAptosConfig {
  /** Fullnode REST URL for every network (the official option); default: the network table's. */
  rpcUrl?: string;
  /** Per-network URLs, tried before {@link rpcUrl}. */
  rpcUrls?: Readonly<Record<string, string>>;
  /** `max_gas_amount` to sign; default 200 000 (the SDK's). */
  maxGasAmount?: bigint | number;
  /** `gas_unit_price` to sign; default: the node's estimate. */
  gasUnitPrice?: bigint | number;
  /** How long the signed transaction stays valid; default 60 s, at most `maxTimeoutSeconds`. */
  expirationSeconds?: number;
}

/**
 * An Ed25519 account from a hex or AIP-80 (`ed25519-priv-0x…`) private key.
 *
 * @example
 * ```ts
 * const signer = await createClientSigner(process.env.APTOS_PRIVATE_KEY!);
 * ```
 */
export async function createClientSigner(privateKey: string): Promise<ClientAptosSigner> {
  const formatted = PrivateKey.formatPrivateKey(privateKey, PrivateKeyVariants.Ed25519);
  return Account.fromPrivateKey({ privateKey: new Ed25519PrivateKey(formatted) });
}
