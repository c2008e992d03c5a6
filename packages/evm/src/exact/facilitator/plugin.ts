import { describeError } from "@x402kit/core";
import {
  type FacilitatorConfigProblem,
  type FacilitatorPlugin,
  type FacilitatorPluginContext,
  type FacilitatorPluginRegistration,
  parseSignerKeys,
} from "@x402kit/core/facilitator";
import type { Erc20ApprovalGasSponsoringSigner } from "../../gasSponsoring/erc20Approval.js";
import { ExactEvmScheme } from "./exactEvmScheme.js";
import { EVM_NETWORK_OPTIONS, EVM_SIGNER_OPTIONS } from "./pluginOptions.js";
import { type EvmNetworkExtras, evmExtensions, evmNetworkAdditions } from "./pluginSchemes.js";
import {
  type ReconcileReport,
  SettlementReconciler,
  type SettlementReconcilerOptions,
} from "./reconciler.js";
import { createRpcSigner, redactRpcUrl } from "./rpcSigner.js";
import { SettlementLedger } from "./settlementLedger.js";
import type { FacilitatorEvmSigner } from "./signer.js";
import { combineFacilitatorEvmSigners } from "./viemSigner.js";

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
  /** A separate key funding sponsored approvals (default: the settlement keys). */
  sponsorPrivateKey?: `0x${string}`;
  networks: Array<
    EvmNetworkExtras & {
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
    }
  >;
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
  networkOptions: EVM_NETWORK_OPTIONS,
  signerOptions: EVM_SIGNER_OPTIONS,

  parse({ networks, signer }) {
    const errors: FacilitatorConfigProblem[] = [];
    const keys = parseSignerKeys(
      signer.privateKeys,
      "signers.eip155.privateKeys",
      (key) => (typeof key === "string" && PRIVATE_KEY.test(key) ? (key as `0x${string}`) : undefined),
      {
        missing: "at least one private key is required",
        invalid: "must be a 0x-prefixed 32-byte hex private key (64 hex digits)",
      },
      errors,
    );
    const sponsorKey = signer.sponsorPrivateKey;
    if (sponsorKey !== undefined && (typeof sponsorKey !== "string" || !PRIVATE_KEY.test(sponsorKey)))
      errors.push({
        field: "signers.eip155.sponsorPrivateKey",
        message: "must be a 0x-prefixed 32-byte hex private key (64 hex digits)",
      });
    const parsed: ExactEvmPluginConfig["networks"] = [];
    for (const [network, options] of Object.entries(networks)) {
      const chainId = EVM_NETWORK.exec(network)?.[1];
      if (!chainId) {
        errors.push({ field: `networks.${network}`, message: "must be eip155:<decimal chain id>" });
        continue;
      }
      for (const name of ["sponsorMaxFundingWei", "sponsorBudgetWei"]) {
        const value = (options as Record<string, unknown>)[name];
        if (value !== undefined && (typeof value !== "string" || !/^\d{1,78}$/.test(value)))
          errors.push({ field: `networks.${network}.${name}`, message: "must be a whole number of wei" });
      }
      parsed.push({ network, chainId: Number(chainId), ...(options as { rpcUrl: string }) });
    }
    if (errors.length > 0) return { ok: false, errors };
    return {
      ok: true,
      config: {
        privateKeys: keys,
        ...(typeof sponsorKey === "string" ? { sponsorPrivateKey: sponsorKey as `0x${string}` } : {}),
        networks: parsed,
      },
    };
  },

  async create(config, { store, logger }) {
    const sponsors = new Map<string, Erc20ApprovalGasSponsoringSigner>();
    // Every network is built before any reconciler starts: one failing network leaks none.
    const settled = await Promise.allSettled(
      config.networks.map(async (entry): Promise<NetworkParts> => {
        const gasBounds = {
          ...(entry.maxFeePerGasWei === undefined ? {} : { maxFeePerGasWei: BigInt(entry.maxFeePerGasWei) }),
          ...(entry.priorityFeePerGasWei === undefined
            ? {}
            : { priorityFeePerGasWei: BigInt(entry.priorityFeePerGasWei) }),
        };
        // One signer per key (upto must send from the key its witness names), pooled for exact:
        // the same nonce managers serve both.
        const keySigners: FacilitatorEvmSigner[] = await Promise.all(
          config.privateKeys.map((key) =>
            createRpcSigner({
              chainId: entry.chainId,
              rpcUrl: entry.rpcUrl,
              privateKeys: [key],
              gasBounds,
              // Every send journaled, so a dropped one no record holds can be sent again.
              journal: store,
              ...(entry.pollingIntervalMs === undefined
                ? {}
                : { pollingIntervalMs: entry.pollingIntervalMs }),
              ...(entry.rpcTimeoutMs === undefined ? {} : { rpcTimeoutMs: entry.rpcTimeoutMs }),
            }),
          ),
        );
        const signer = combineFacilitatorEvmSigners(keySigners);
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
        const reconciler = new SettlementReconciler(
          new SettlementLedger(store, ttls),
          signer,
          reconcilerOptions(entry, logger),
        );
        const added = await evmNetworkAdditions(entry, {
          exact: scheme,
          keySigners,
          pooled: signer,
          store,
          gasBounds,
          ttls,
          ...(config.sponsorPrivateKey ? { sponsorKey: config.sponsorPrivateKey } : {}),
          ...(entry.receiptTimeoutMs === undefined ? {} : { receiptTimeoutMs: entry.receiptTimeoutMs }),
        });
        if (added.sponsor) sponsors.set(entry.network, added.sponsor);
        const main: EvmPluginRegistration = {
          networks: [entry.network],
          scheme,
          redact: [entry.rpcUrl],
          reconcile: () => reconciler.reconcileOnce(),
          close: () => reconciler.stop(),
        };
        const registrations = [
          main,
          ...added.registrations.map((one) => ({ ...one, redact: [entry.rpcUrl] })),
        ];
        return { registrations, reconciler, start: (entry.reconcileIntervalMs ?? 15_000) > 0 };
      }),
    );
    const failed = settled.find((one): one is PromiseRejectedResult => one.status === "rejected");
    if (failed) throw failed.reason;
    const parts = settled.map((one) => (one as PromiseFulfilledResult<NetworkParts>).value);
    for (const part of parts) if (part.start) part.reconciler.start();
    const registrations = parts.flatMap((part) => part.registrations);
    const extensions = evmExtensions(
      sponsors,
      config.networks.some((entry) => entry.eip2612GasSponsoring),
    );
    if (extensions.length > 0 && registrations[0]) registrations[0] = { ...registrations[0], extensions };
    return registrations;
  },
};

/** What one network entry builds; its reconciler starts once every network was built. */
interface NetworkParts {
  registrations: FacilitatorPluginRegistration[];
  reconciler: SettlementReconciler;
  start: boolean;
}

/** How many `rebroadcastAfterMs` a record may stay pending before the reconciler warns about it. */
const STALE_PENDING_FACTOR = 10;

/** The reconciler's options of one network: its failures and eventful runs go to the service's logger. */
function reconcilerOptions(
  entry: ExactEvmPluginConfig["networks"][number],
  logger: FacilitatorPluginContext["logger"],
): SettlementReconcilerOptions {
  const label = `[x402kit] EVM reconciler ${entry.network}`;
  return {
    network: entry.network,
    intervalMs: entry.reconcileIntervalMs ?? 15_000,
    ...(entry.rebroadcastAfterMs === undefined ? {} : { rebroadcastAfterMs: entry.rebroadcastAfterMs }),
    // The RPC URL may hold an API key: messages only, with it redacted.
    onError: (error) =>
      logger?.error(
        `${label}: a run failed (the next one retries): ${describeError(error).replaceAll(entry.rpcUrl, redactRpcUrl(entry.rpcUrl))}`,
      ),
    onReport: (report) => {
      logger?.info(`${label}: ${JSON.stringify(report)}`);
      if (report.stale > 0) {
        const warn = logger?.warn ?? logger?.error;
        warn?.call(
          logger,
          `${label}: ${report.stale} settlement(s) pending for over ${STALE_PENDING_FACTOR} × rebroadcastAfterMs; check the RPC and the signer accounts`,
        );
      }
    },
  };
}

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
