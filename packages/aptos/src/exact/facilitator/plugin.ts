import { Account, Ed25519PrivateKey, PrivateKey, PrivateKeyVariants } from "@aptos-labs/ts-sdk";
import { X402Error } from "@x402kit/core";
import {
  type FacilitatorConfigProblem,
  type FacilitatorPlugin,
  type FacilitatorPluginRegistration,
  parseSignerKeys,
  SETTLEMENT_LEDGER_OPTIONS,
} from "@x402kit/core/facilitator";
import { redactUrl } from "@x402kit/core/utils";
import { getAptosChainId, getAptosNetworkConfig, tryGetAptosChainId } from "../../networks.js";
import { ExactAptosScheme } from "./exactAptosScheme.js";
import { toFacilitatorAptosSigner } from "./signer.js";

/**
 * The Aptos family's configuration, as {@link exactAptosFacilitatorPlugin} parsed it.
 *
 * @example
 * ```ts
 * const config: ExactAptosPluginConfig = { privateKeys: ["0x…"], networks: [{ network: "aptos:4", nodeUrl: "http://127.0.0.1:8080/v1" }] };
 * ```
 */
export interface ExactAptosPluginConfig {
  privateKeys: string[];
  networks: Array<{
    network: string;
    nodeUrl: string;
    sponsorTransactions?: boolean;
    maxGasAmount?: number;
    maxGasUnitPrice?: number;
    maxFeeOctas?: number;
    waitTimeoutSeconds?: number;
    guardTtlMs?: number;
    recordTtlMs?: number;
  }>;
}

const HEX_KEY = /^(ed25519-priv-)?0x[0-9a-fA-F]{64}$/;

/**
 * The Aptos facilitator plugin of `@x402kit/facilitator`: serves `exact` on every
 * `aptos:<chain id>` network of the config (mainnet, testnet or a local chain), each over its
 * fullnode REST URL (whose chain id is checked at start-up), sponsoring gas from the family's
 * Ed25519 keys. Settlement records go to the service's store.
 *
 * Config: `networks["aptos:<id>"]` = `{ nodeUrl?, sponsorTransactions?, maxGasAmount?,
 * maxGasUnitPrice?, maxFeeOctas?, waitTimeoutSeconds?, guardTtlMs?, recordTtlMs? }`, `signers.aptos` =
 * `{ privateKeys }`; in the environment `X402_NETWORKS_APTOS_4_NODE_URL`,
 * `X402_SIGNERS_APTOS_PRIVATE_KEYS`.
 *
 * @example
 * ```ts
 * const facilitator = await createFacilitatorFromConfig(
 *   { networks: { "aptos:4": { nodeUrl } }, signers: { aptos: { privateKeys: [key] } } },
 *   { plugins: [exactAptosFacilitatorPlugin] },
 * );
 * ```
 */
export const exactAptosFacilitatorPlugin: FacilitatorPlugin<ExactAptosPluginConfig> = {
  family: "aptos",
  networkOptions: [
    {
      name: "nodeUrl",
      type: "url",
      description: "fullnode REST API, ending in /v1 (default: the public node of aptos:1 and aptos:2)",
    },
    {
      name: "sponsorTransactions",
      type: "boolean",
      default: true,
      description: "pay the gas of payments (extra.feePayer)",
    },
    {
      name: "maxGasAmount",
      type: "integer",
      default: 500000,
      description: "bound on a sponsored max_gas_amount",
    },
    {
      name: "maxGasUnitPrice",
      type: "integer",
      default: 1000,
      description: "bound on a sponsored gas_unit_price (octas)",
    },
    {
      name: "maxFeeOctas",
      type: "integer",
      description:
        "bound on a sponsored max_gas_amount × gas_unit_price (default: the product of the two bounds)",
    },
    {
      name: "waitTimeoutSeconds",
      type: "integer",
      default: 20,
      description: "how long settle waits for the transaction",
    },

    ...SETTLEMENT_LEDGER_OPTIONS,
  ],
  signerOptions: [
    {
      name: "privateKeys",
      type: "secret[]",
      required: true,
      description:
        "Ed25519 keys (hex or AIP-80) of the fee-payer accounts (comma-separated in the environment)",
    },
  ],

  parse({ networks, signer }) {
    const errors: FacilitatorConfigProblem[] = [];
    const keys = parseSignerKeys(
      signer.privateKeys,
      "signers.aptos.privateKeys",
      (key) => (typeof key === "string" && HEX_KEY.test(key) ? key : undefined),
      {
        missing: "at least one private key is required",
        invalid: "must be a 0x-prefixed 32-byte hex Ed25519 key (or ed25519-priv-0x…)",
      },
      errors,
    );
    const parsed: ExactAptosPluginConfig["networks"] = [];
    for (const [network, options] of Object.entries(networks)) {
      if (tryGetAptosChainId(network) === undefined) {
        errors.push({ field: `networks.${network}`, message: "must be aptos:<chain id 1-255>" });
        continue;
      }
      const nodeUrl = (options.nodeUrl as string | undefined) ?? getAptosNetworkConfig(network)?.nodeUrl;
      if (!nodeUrl) {
        errors.push({
          field: `networks.${network}.nodeUrl`,
          message: "is required for a network without a public node",
        });
        continue;
      }
      parsed.push({ ...(options as Partial<ExactAptosPluginConfig["networks"][number]>), network, nodeUrl });
    }
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, config: { privateKeys: keys, networks: parsed } };
  },

  async create(config, { store }) {
    const accounts = config.privateKeys.map((key) =>
      Account.fromPrivateKey({
        privateKey: new Ed25519PrivateKey(PrivateKey.formatPrivateKey(key, PrivateKeyVariants.Ed25519)),
      }),
    );
    // Never sponsor on one chain while talking to another's node: checked at start-up.
    await Promise.all(config.networks.map((entry) => checkChainId(entry.network, entry.nodeUrl)));
    return config.networks.map((entry): FacilitatorPluginRegistration => {
      const signer = toFacilitatorAptosSigner(accounts, {
        defaultRpcUrl: entry.nodeUrl,
        ...(entry.waitTimeoutSeconds === undefined ? {} : { waitTimeoutSeconds: entry.waitTimeoutSeconds }),
      });
      const scheme = new ExactAptosScheme(signer, {
        store,
        ...(entry.sponsorTransactions === undefined
          ? {}
          : { sponsorTransactions: entry.sponsorTransactions }),
        ...(entry.maxGasAmount === undefined ? {} : { maxGasAmount: entry.maxGasAmount }),
        ...(entry.maxGasUnitPrice === undefined ? {} : { maxGasUnitPrice: entry.maxGasUnitPrice }),
        ...(entry.maxFeeOctas === undefined ? {} : { maxFeeOctas: entry.maxFeeOctas }),
        ...(entry.guardTtlMs === undefined ? {} : { guardTtlMs: entry.guardTtlMs }),
        ...(entry.recordTtlMs === undefined ? {} : { recordTtlMs: entry.recordTtlMs }),
      });
      return { networks: [entry.network], scheme, redact: [entry.nodeUrl] };
    });
  },
};

async function checkChainId(network: string, nodeUrl: string): Promise<void> {
  const field = `networks.${network}.nodeUrl`;
  let chainId: number;
  try {
    // Plain fetch: the SDK memoizes ledger info per network *name*, across node URLs.
    const response = await fetch(nodeUrl.replace(/\/+$/, ""), { signal: AbortSignal.timeout(10_000) });
    chainId = ((await response.json()) as { chain_id: number }).chain_id;
  } catch (error) {
    throw new X402Error(
      "invalid_facilitator_config",
      `${field}: the node ${redactUrl(nodeUrl)} does not answer`,
      {
        cause: error,
      },
    );
  }
  if (chainId !== getAptosChainId(network))
    throw new X402Error(
      "invalid_facilitator_config",
      `${field}: the node ${redactUrl(nodeUrl)} is on chain id ${chainId}, not ${getAptosChainId(network)}`,
    );
}
