/** The variable naming the config file. */
export const CONFIG_ENV = "X402_FACILITATOR_CONFIG";
/** Prefix of per-network variables: `X402_NETWORKS_EIP155_8453_RPC_URL` sets `networks["eip155:8453"].rpcUrl`. */
export const NETWORK_ENV_PREFIX = "X402_NETWORKS_";
/** Prefix of per-family signer variables: `X402_SIGNERS_EIP155_PRIVATE_KEYS` sets `signers.eip155.privateKeys`. */
export const SIGNER_ENV_PREFIX = "X402_SIGNERS_";
/** Older names, still read: `X402_RPC_URL_<chainId>` and `X402_FACILITATOR_PRIVATE_KEY` (EVM). */
export const LEGACY_RPC_URL_ENV_PREFIX = "X402_RPC_URL_";
export const LEGACY_PRIVATE_KEY_ENV = "X402_FACILITATOR_PRIVATE_KEY";

/**
 * `receiptTimeoutMs` → `RECEIPT_TIMEOUT_MS`.
 *
 * @example
 * ```ts
 * toEnvCase("rpcUrl"); // "RPC_URL"
 * ```
 */
export function toEnvCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/**
 * The variable of one network option.
 *
 * @example
 * ```ts
 * networkEnvName("eip155:8453", "rpcUrl"); // "X402_NETWORKS_EIP155_8453_RPC_URL"
 * ```
 */
export function networkEnvName(network: string, option: string): string {
  const [namespace, reference] = [
    network.slice(0, network.indexOf(":")),
    network.slice(network.indexOf(":") + 1),
  ];
  return `${NETWORK_ENV_PREFIX}${namespace.toUpperCase()}_${reference}_${toEnvCase(option)}`;
}

/**
 * The variable of one signer option.
 *
 * @example
 * ```ts
 * signerEnvName("eip155", "privateKeys"); // "X402_SIGNERS_EIP155_PRIVATE_KEYS"
 * ```
 */
export function signerEnvName(family: string, option: string): string {
  return `${SIGNER_ENV_PREFIX}${family.toUpperCase()}_${toEnvCase(option)}`;
}
