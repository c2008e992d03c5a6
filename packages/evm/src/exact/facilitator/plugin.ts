import type {
  FacilitatorConfigProblem,
  FacilitatorPlugin,
  FacilitatorPluginRegistration,
} from "@x402kit/core/facilitator";
import { ExactEvmScheme } from "./exactEvmScheme.js";
import { type ReconcileReport, SettlementReconciler } from "./reconciler.js";
import { createRpcSigner } from "./rpcSigner.js";
import { SettlementLedger } from "./settlementLedger.js";

/**
 * The EVM family's configuration, as {@link exactEvmFacilitatorPlugin} parsed it.
 *
 * @example
 * ```ts
 * const config: ExactEvmPluginConfig = {
 *   privateKeys: ["0x…"],
 *   networks: [{ network: "eip155:8453", chainId: 8453, rpcUrl: "https://mainnet.base.org" }],
 * };
 * ```
 */
export interface ExactEvmPluginConfig {
  privateKeys: `0x${string}`[];
  networks: Array<{
    network: string;
    chainId: number;
    rpcUrl: string;
    pollingIntervalMs?: number;
    receiptTimeoutMs?: number;
    rpcTimeoutMs?: number;
    simulateInSettle?: boolean;
    guardTtlMs?: number;
    recordTtlMs?: number;
    maxFeePerGasWei?: number;
    priorityFeePerGasWei?: number;
    reconcileIntervalMs?: number;
    rebroadcastAfterMs?: number;
    /** Tokens settled besides the network's known stablecoin; `["any"]`: every token. */
    allowedAssets?: string[];
    eip6492AllowedFactories?: string[];
  }>;
}

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;
const EVM_NETWORK = /^eip155:([1-9]\d{0,15})$/;

/**
 * The EVM facilitator plugin of `@x402kit/facilitator`: serves `exact` (EIP-3009) on every
 * `eip155:<chainId>` network of the config, each over its own RPC URL, settling from the
 * family's private keys (several keys: settlements rotate over them). Idempotency state goes
 * to the service's store.
 *
 * Config: `networks["eip155:<id>"]` = `{ rpcUrl, pollingIntervalMs?, receiptTimeoutMs?,
 * rpcTimeoutMs?, simulateInSettle?, maxFeePerGasWei?, priorityFeePerGasWei?,
 * reconcileIntervalMs?, rebroadcastAfterMs? }`, `signers.eip155` = `{ privateKeys }`. Each
 * network also runs a {@link SettlementReconciler} over the service's store.
 *
 * @example
 * ```ts
 * const facilitator = await createFacilitatorFromConfig(
 *   { networks: { "eip155:8453": { rpcUrl } }, signers: { eip155: { privateKeys: [key] } } },
 *   { plugins: [exactEvmFacilitatorPlugin] },
 * );
 * ```
 */
export const exactEvmFacilitatorPlugin: FacilitatorPlugin<ExactEvmPluginConfig> = {
  family: "eip155",
  networkOptions: [
    {
      name: "rpcUrl",
      type: "url",
      required: true,
      description: "JSON-RPC endpoint of the chain (http or https)",
    },
    {
      name: "pollingIntervalMs",
      type: "integer",
      default: 1000,
      description: "how often a settlement's receipt is polled",
    },
    {
      name: "receiptTimeoutMs",
      type: "integer",
      default: 20000,
      description: "how long settle waits for a receipt before answering settlement_pending",
    },
    { name: "rpcTimeoutMs", type: "integer", default: 10000, description: "timeout of one JSON-RPC request" },
    {
      name: "simulateInSettle",
      type: "boolean",
      default: false,
      description: "dry-run the transfer again right before broadcasting",
    },
    {
      name: "guardTtlMs",
      type: "integer",
      default: 30000,
      description:
        "lifetime of a settlement's in-flight guard (renewed while it runs; frees a crashed holder's)",
    },
    {
      name: "recordTtlMs",
      type: "integer",
      default: 86400000,
      description: "how long settlement records answer retries of the same payment",
    },
    {
      name: "maxFeePerGasWei",
      type: "integer",
      description:
        "gas price cap in wei per gas: above it settle answers settle_evm_gas_price_above_cap and sends nothing (default: no cap)",
    },
    {
      name: "priorityFeePerGasWei",
      type: "integer",
      description:
        "priority fee (tip) in wei per gas of settlement transactions (default: the node's suggestion)",
    },
    {
      name: "reconcileIntervalMs",
      type: "integer",
      default: 15000,
      description:
        "how often settlements left pending are checked against the chain, recorded, or re-broadcast if dropped",
    },
    {
      name: "rebroadcastAfterMs",
      type: "integer",
      default: 30000,
      description:
        "a pending settlement the node no longer knows this long after signing is re-broadcast with the same signed bytes",
    },
    {
      name: "allowedAssets",
      type: "string[]",
      description:
        'token addresses settled besides the network\'s known stablecoin ("any": every token; default: the known stablecoin, any token on chains 31337/1337)',
    },
    {
      name: "eip6492AllowedFactories",
      type: "string[]",
      description:
        "factories whose counterfactual (ERC-6492) smart wallets may pay; the wallet is deployed at settlement (default: none)",
    },
  ],
  signerOptions: [
    {
      name: "privateKeys",
      type: "secret[]",
      required: true,
      description:
        "secp256k1 keys that send settlements and pay gas, each with its own nonce sequence; the least busy sends next (comma-separated in the environment)",
    },
  ],

  parse({ networks, signer }) {
    const errors: FacilitatorConfigProblem[] = [];
    const keys = signer.privateKeys;
    if (!Array.isArray(keys) || keys.length === 0)
      errors.push({ field: "signers.eip155.privateKeys", message: "at least one private key is required" });
    else
      keys.forEach((key, index) => {
        if (typeof key !== "string" || !PRIVATE_KEY.test(key))
          errors.push({
            field: `signers.eip155.privateKeys[${index}]`,
            message: "must be a 0x-prefixed 32-byte hex private key (64 hex digits)",
          });
      });
    const parsed: ExactEvmPluginConfig["networks"] = [];
    for (const [network, options] of Object.entries(networks)) {
      const chainId = EVM_NETWORK.exec(network)?.[1];
      if (!chainId) {
        errors.push({ field: `networks.${network}`, message: "must be eip155:<decimal chain id>" });
        continue;
      }
      parsed.push({ network, chainId: Number(chainId), ...(options as { rpcUrl: string }) });
    }
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, config: { privateKeys: keys as `0x${string}`[], networks: parsed } };
  },

  async create(config, { store }) {
    return Promise.all(
      config.networks.map(async (entry): Promise<EvmPluginRegistration> => {
        const gasBounds = {
          ...(entry.maxFeePerGasWei === undefined ? {} : { maxFeePerGasWei: BigInt(entry.maxFeePerGasWei) }),
          ...(entry.priorityFeePerGasWei === undefined
            ? {}
            : { priorityFeePerGasWei: BigInt(entry.priorityFeePerGasWei) }),
        };
        const signer = await createRpcSigner({
          chainId: entry.chainId,
          rpcUrl: entry.rpcUrl,
          privateKeys: config.privateKeys,
          gasBounds,
          ...(entry.pollingIntervalMs === undefined ? {} : { pollingIntervalMs: entry.pollingIntervalMs }),
          ...(entry.rpcTimeoutMs === undefined ? {} : { rpcTimeoutMs: entry.rpcTimeoutMs }),
        });
        const ttls = { guardTtlMs: entry.guardTtlMs ?? 30_000, recordTtlMs: entry.recordTtlMs ?? 86_400_000 };
        const scheme = new ExactEvmScheme(signer, {
          store,
          ...ttls,
          ...(entry.receiptTimeoutMs === undefined ? {} : { receiptTimeoutMs: entry.receiptTimeoutMs }),
          ...(entry.simulateInSettle === undefined ? {} : { simulateInSettle: entry.simulateInSettle }),
          ...(entry.allowedAssets === undefined
            ? {}
            : { allowedAssets: entry.allowedAssets.includes("any") ? "any" : entry.allowedAssets }),
          ...(entry.eip6492AllowedFactories === undefined
            ? {}
            : { eip6492AllowedFactories: entry.eip6492AllowedFactories }),
        });
        const reconciler = new SettlementReconciler(new SettlementLedger(store, ttls), signer, {
          network: entry.network,
          intervalMs: entry.reconcileIntervalMs ?? 15_000,
          ...(entry.rebroadcastAfterMs === undefined ? {} : { rebroadcastAfterMs: entry.rebroadcastAfterMs }),
        });
        if ((entry.reconcileIntervalMs ?? 15_000) > 0) reconciler.start();
        return {
          networks: [entry.network],
          scheme,
          redact: [entry.rpcUrl],
          reconcile: () => reconciler.reconcileOnce(),
          close: () => reconciler.stop(),
        };
      }),
    );
  },
};

/**
 * A registration of {@link exactEvmFacilitatorPlugin}: besides the scheme, its reconciler of
 * pending settlements (started when `reconcileIntervalMs` > 0; the service stops it on close).
 *
 * @example
 * ```ts
 * const [registration] = (await exactEvmFacilitatorPlugin.create(config, { store })) as EvmPluginRegistration[];
 * await registration.reconcile();
 * ```
 */
export interface EvmPluginRegistration extends FacilitatorPluginRegistration {
  /** Check the network's pending settlements now. */
  reconcile(): Promise<ReconcileReport>;
  /** Stop the reconciler's timer (and wait for a run in progress). */
  close(): Promise<void>;
}
