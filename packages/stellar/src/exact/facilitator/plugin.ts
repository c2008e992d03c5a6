import { StrKey } from "@stellar/stellar-sdk";
import {
  type FacilitatorConfigProblem,
  type FacilitatorPlugin,
  type FacilitatorPluginRegistration,
  parseSignerKeys,
  SETTLEMENT_LEDGER_OPTIONS,
} from "@x402kit/core/facilitator";
import { getStellarNetwork, registerStellarNetwork } from "../../networks.js";
import { createEd25519Signer } from "../../signer.js";
import { ExactStellarScheme } from "./exactStellarScheme.js";

/**
 * The Stellar family's configuration, as {@link exactStellarFacilitatorPlugin} parsed it.
 *
 * @example
 * ```ts
 * const config: ExactStellarPluginConfig = {
 *   secretKeys: ["S…"],
 *   networks: [{ network: "stellar:testnet", rpcUrl: "https://soroban-testnet.stellar.org" }],
 * };
 * ```
 */
export interface ExactStellarPluginConfig {
  secretKeys: string[];
  feeBumpSecretKey?: string;
  networks: Array<{
    network: string;
    rpcUrl?: string;
    rpcTimeoutMs?: number;
    networkPassphrase?: string;
    estimatedLedgerSeconds?: number;
    maxTransactionFeeStroops?: number;
    pollIntervalMs?: number;
    settleTimeoutMs?: number;
    guardTtlMs?: number;
    recordTtlMs?: number;
  }>;
}

type NetworkEntry = ExactStellarPluginConfig["networks"][number];

/**
 * The Stellar facilitator plugin of `@x402kit/facilitator`: serves `exact` on every
 * `stellar:<reference>` network of the config over its Soroban RPC, settling from the family's
 * secret keys (round-robin) and paying fees (or through a fee-bump account). A network outside
 * the built-in table (pubnet, testnet) is added to it with its `networkPassphrase`, so a local
 * standalone network works. Settlement state goes to the service's store.
 *
 * Config: `networks["stellar:<ref>"]` = `{ rpcUrl, rpcTimeoutMs?, networkPassphrase?, estimatedLedgerSeconds?,
 * maxTransactionFeeStroops?, pollIntervalMs?, settleTimeoutMs?, guardTtlMs?, recordTtlMs? }`,
 * `signers.stellar` = `{ secretKeys, feeBumpSecretKey? }`; in the environment
 * `X402_NETWORKS_STELLAR_TESTNET_RPC_URL`, `X402_SIGNERS_STELLAR_SECRET_KEYS`.
 *
 * @example
 * ```ts
 * const facilitator = await createFacilitatorFromConfig(
 *   { networks: { "stellar:testnet": { rpcUrl } }, signers: { stellar: { secretKeys: [secret] } } },
 *   { plugins: [exactStellarFacilitatorPlugin] },
 * );
 * ```
 */
export const exactStellarFacilitatorPlugin: FacilitatorPlugin<ExactStellarPluginConfig> = {
  family: "stellar",
  networkOptions: [
    { name: "rpcUrl", type: "url", description: "Soroban RPC endpoint (required except on stellar:testnet)" },
    {
      name: "rpcTimeoutMs",
      type: "integer",
      default: 15000,
      description: "how long one Soroban RPC call may take before it is abandoned",
    },
    {
      name: "networkPassphrase",
      type: "string",
      description: "passphrase of a network outside pubnet/testnet (e.g. Standalone Network ; February 2017)",
    },
    {
      name: "estimatedLedgerSeconds",
      type: "integer",
      description: "fixed ledger close time for auth expirations (default: Horizon's estimate, else 5)",
    },
    {
      name: "maxTransactionFeeStroops",
      type: "integer",
      default: 50000,
      description: "the most one settlement may cost the facilitator",
    },
    {
      name: "pollIntervalMs",
      type: "integer",
      default: 1000,
      description: "how often a settlement's status is polled",
    },
    {
      name: "settleTimeoutMs",
      type: "integer",
      default: 20000,
      description: "how long settle waits for a final status before answering settlement_pending",
    },

    ...SETTLEMENT_LEDGER_OPTIONS,
  ],
  signerOptions: [
    {
      name: "secretKeys",
      type: "secret[]",
      required: true,
      description:
        "ed25519 secret keys (S…) of the accounts that submit settlements (comma-separated in the environment)",
    },
    {
      name: "feeBumpSecretKey",
      type: "secret",
      description: "an account that pays the fees through fee bumps",
    },
  ],

  parse({ networks, signer }) {
    const errors: FacilitatorConfigProblem[] = [];
    const keys = parseSignerKeys(
      signer.secretKeys,
      "signers.stellar.secretKeys",
      (key) => (typeof key === "string" && StrKey.isValidEd25519SecretSeed(key) ? key : undefined),
      { missing: "at least one secret key is required", invalid: "must be an ed25519 secret key (S…)" },
      errors,
    );
    const feeBump = signer.feeBumpSecretKey;
    if (feeBump !== undefined && (typeof feeBump !== "string" || !StrKey.isValidEd25519SecretSeed(feeBump)))
      errors.push({
        field: "signers.stellar.feeBumpSecretKey",
        message: "must be an ed25519 secret key (S…)",
      });
    const parsed: NetworkEntry[] = [];
    for (const [spelled, raw] of Object.entries(networks)) {
      const options = raw as Omit<NetworkEntry, "network">;
      const network = canonicalNetwork(spelled);
      const field = `networks.${spelled}`;
      if (!/^stellar:[-_a-z0-9]{1,32}$/.test(network)) {
        errors.push({ field, message: "must be stellar:<reference>" });
        continue;
      }
      const known = getStellarNetwork(network);
      if (!known && !options.networkPassphrase)
        errors.push({
          field: `${field}.networkPassphrase`,
          message: "is required for a network other than pubnet/testnet",
        });
      if (!options.rpcUrl && !known?.rpcUrl)
        errors.push({
          field: `${field}.rpcUrl`,
          message: "is required (this network has no default Soroban RPC)",
        });
      parsed.push({ network, ...options });
    }
    if (errors.length > 0) return { ok: false, errors };
    return {
      ok: true,
      config: {
        secretKeys: keys,
        ...(typeof feeBump === "string" ? { feeBumpSecretKey: feeBump } : {}),
        networks: parsed,
      },
    };
  },

  async create(config, { store }) {
    return config.networks.map((entry): FacilitatorPluginRegistration => {
      const known = getStellarNetwork(entry.network);
      if (entry.networkPassphrase || entry.estimatedLedgerSeconds)
        registerStellarNetwork(entry.network, {
          ...known,
          networkPassphrase: entry.networkPassphrase ?? known!.networkPassphrase,
          ...(entry.rpcUrl ? { rpcUrl: entry.rpcUrl } : {}),
          ...(entry.estimatedLedgerSeconds ? { estimatedLedgerSeconds: entry.estimatedLedgerSeconds } : {}),
        });
      const signers = config.secretKeys.map((key) => createEd25519Signer(key, entry.network));
      const scheme = new ExactStellarScheme(signers, {
        store,
        ...(entry.rpcUrl || entry.rpcTimeoutMs
          ? {
              rpcConfig: {
                ...(entry.rpcUrl ? { url: entry.rpcUrl } : {}),
                ...(entry.rpcTimeoutMs ? { timeoutMs: entry.rpcTimeoutMs } : {}),
              },
            }
          : {}),
        ...(config.feeBumpSecretKey
          ? { feeBumpSigner: createEd25519Signer(config.feeBumpSecretKey, entry.network) }
          : {}),
        ...(entry.maxTransactionFeeStroops === undefined
          ? {}
          : { maxTransactionFeeStroops: entry.maxTransactionFeeStroops }),
        ...(entry.pollIntervalMs === undefined ? {} : { pollIntervalMs: entry.pollIntervalMs }),
        ...(entry.settleTimeoutMs === undefined ? {} : { settleTimeoutMs: entry.settleTimeoutMs }),
        ...(entry.guardTtlMs === undefined ? {} : { guardTtlMs: entry.guardTtlMs }),
        ...(entry.recordTtlMs === undefined ? {} : { recordTtlMs: entry.recordTtlMs }),
      });
      return { networks: [entry.network], scheme, redact: entry.rpcUrl ? [entry.rpcUrl] : [] };
    });
  },
};

/** Environment variables are upper-case: Stellar references are lower-case. */
function canonicalNetwork(network: string): string {
  return network.toLowerCase();
}
