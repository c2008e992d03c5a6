import {
  createKeyPairSignerFromBytes,
  createKeyPairSignerFromPrivateKeyBytes,
  type KeyPairSigner,
} from "@solana/kit";
import { describeError } from "@x402kit/core";
import {
  type FacilitatorConfigProblem,
  type FacilitatorPlugin,
  type FacilitatorPluginRegistration,
  parseSignerKeys,
} from "@x402kit/core/facilitator";
import {
  CONFIRM_TIMEOUT_MS,
  RPC_TIMEOUT_MS,
  SETTLEMENT_TTL_MS,
  V1_TO_V2_NETWORK_MAP,
} from "../../constants.js";
import { base58ToBytes } from "../../encoding.js";
import { tryNormalizeNetwork } from "../../network.js";
import { DEFAULT_TRANSFER_LIMITS, resolveTransferLimits } from "./checkTransfer.js";
import { ExactSvmScheme } from "./exactSvmScheme.js";
import { ExactSvmSchemeV1 } from "./exactSvmSchemeV1.js";
import { SettlementCache } from "./settlementCache.js";
import { toFacilitatorSvmSigner } from "./signer.js";

/** Longest confirmation wait: simulate, send and the last status poll (an RPC timeout each) and a margin fit in a hold. */
const MAX_CONFIRM_TIMEOUT_MS = SETTLEMENT_TTL_MS - 3 * RPC_TIMEOUT_MS - 10_000;

/**
 * The Solana family's configuration, as {@link exactSvmFacilitatorPlugin} parsed it.
 *
 * @example
 * ```ts
 * const config: ExactSvmPluginConfig = { secretKeys: [bytes], networks: [{ network: SOLANA_DEVNET_CAIP2, rpcUrl }] };
 * ```
 */
export interface ExactSvmPluginConfig {
  /** 64-byte secret keys (seed ‖ public key) or 32-byte seeds. */
  secretKeys: Uint8Array[];
  networks: Array<{
    network: string;
    rpcUrl: string;
    maxPriorityFeeMicroLamports?: number;
    maxComputeUnits?: number;
    maxPriorityFeeLamports?: number;
    maxRequiredSignatures?: number;
    confirmTimeoutMs?: number;
  }>;
}

/**
 * The Solana facilitator plugin of `@x402kit/facilitator`: serves `exact` on each
 * `solana:<genesis>` network of the config (v2, and v1 under its v1 name), each over its RPC
 * URL, with the family's keys as fee payers. The duplicate-settlement guard lives in the
 * service's store, so instances sharing it refuse each other's copies.
 *
 * Config: `networks["solana:…"]` = `{ rpcUrl, maxPriorityFeeMicroLamports? (5,000,000),
 * maxComputeUnits? (200,000), maxPriorityFeeLamports? (100,000), maxRequiredSignatures? (2),
 * confirmTimeoutMs? (30,000, at most 80,000: a settlement must answer within its hold) }`, `signers.solana` = `{ privateKeys }` (base58
 * 64-byte secret keys, or `solana-keygen` JSON byte arrays). Environment:
 * `X402_NETWORKS_SOLANA_<genesis>_RPC_URL`, `X402_SIGNERS_SOLANA_PRIVATE_KEYS`.
 *
 * @example
 * ```ts
 * const facilitator = await createFacilitatorFromConfig(
 *   { networks: { [SOLANA_DEVNET_CAIP2]: { rpcUrl } }, signers: { solana: { privateKeys: [secret] } } },
 *   { plugins: [exactSvmFacilitatorPlugin] },
 * );
 * ```
 */
export const exactSvmFacilitatorPlugin: FacilitatorPlugin<ExactSvmPluginConfig> = {
  family: "solana",
  networkOptions: [
    { name: "rpcUrl", type: "url", required: true, description: "Solana JSON-RPC endpoint (http or https)" },
    {
      name: "maxPriorityFeeMicroLamports",
      type: "integer",
      default: DEFAULT_TRANSFER_LIMITS.maxPriorityFeeMicroLamports,
      description: "highest compute-unit price a payment may set (the fee payer pays it)",
    },
    {
      name: "maxComputeUnits",
      type: "integer",
      default: DEFAULT_TRANSFER_LIMITS.maxComputeUnits,
      description: "highest compute-unit limit a payment may set",
    },
    {
      name: "maxPriorityFeeLamports",
      type: "integer",
      default: DEFAULT_TRANSFER_LIMITS.maxPriorityFeeLamports,
      description: "highest priority fee (limit × price) the fee payer pays per payment, in lamports",
    },
    {
      name: "maxRequiredSignatures",
      type: "integer",
      default: DEFAULT_TRANSFER_LIMITS.maxRequiredSignatures,
      description: "most signatures a payment may require (5,000 lamports each)",
    },
    {
      name: "confirmTimeoutMs",
      type: "integer",
      default: CONFIRM_TIMEOUT_MS,
      description: `how long settle waits for confirmation before answering settlement_pending (1000 to ${MAX_CONFIRM_TIMEOUT_MS})`,
    },
  ],
  signerOptions: [
    {
      name: "privateKeys",
      type: "secret[]",
      required: true,
      description:
        "fee payer keys: base58 64-byte secret keys or JSON byte arrays (comma-separated in the environment)",
    },
  ],

  parse({ networks, signer }) {
    const errors: FacilitatorConfigProblem[] = [];
    const secretKeys = parseSignerKeys(
      signer.privateKeys,
      "signers.solana.privateKeys",
      parseSecretKey,
      {
        missing: "at least one key is required",
        invalid: "must be a base58 64-byte secret key (or 32-byte seed) or a JSON array of 64 bytes",
      },
      errors,
    );
    const parsed: ExactSvmPluginConfig["networks"] = [];
    for (const [network, options] of Object.entries(networks)) {
      if (tryNormalizeNetwork(network) !== network) {
        errors.push({
          field: `networks.${network}`,
          message:
            "must be the CAIP-2 id of a Solana cluster (a local chain uses devnet's: solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1)",
        });
        continue;
      }
      const entry = { network, ...(options as { rpcUrl: string }) } as ExactSvmPluginConfig["networks"][0];
      for (const name of Object.keys(DEFAULT_TRANSFER_LIMITS) as Array<keyof typeof DEFAULT_TRANSFER_LIMITS>)
        try {
          resolveTransferLimits({ [name]: entry[name] });
        } catch (error) {
          errors.push({ field: `networks.${network}.${name}`, message: describeError(error) });
        }
      const confirm = entry.confirmTimeoutMs;
      if (
        confirm !== undefined &&
        (!Number.isSafeInteger(confirm) || confirm < 1_000 || confirm > MAX_CONFIRM_TIMEOUT_MS)
      )
        errors.push({
          field: `networks.${network}.confirmTimeoutMs`,
          message: `must be 1000 to ${MAX_CONFIRM_TIMEOUT_MS} ms: with the RPC calls it must end within the ${SETTLEMENT_TTL_MS} ms a settlement holds a transaction`,
        });
      parsed.push(entry);
    }
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, config: { secretKeys, networks: parsed } };
  },

  async create(config, { store }) {
    const keypairs: KeyPairSigner[] = await Promise.all(
      config.secretKeys.map((bytes) =>
        bytes.length === 64
          ? createKeyPairSignerFromBytes(bytes)
          : createKeyPairSignerFromPrivateKeyBytes(bytes),
      ),
    );
    const cache = new SettlementCache(store);
    return config.networks.flatMap((entry): FacilitatorPluginRegistration[] => {
      const signer = toFacilitatorSvmSigner(
        keypairs,
        { defaultRpcUrl: entry.rpcUrl },
        {
          ...(entry.confirmTimeoutMs === undefined ? {} : { confirmTimeoutMs: entry.confirmTimeoutMs }),
        },
      );
      const limits = resolveTransferLimits(entry);
      const v1Name = Object.keys(V1_TO_V2_NETWORK_MAP).find(
        (name) => V1_TO_V2_NETWORK_MAP[name] === entry.network,
      );
      return [
        {
          networks: [entry.network],
          scheme: new ExactSvmScheme(signer, cache, limits),
          redact: [entry.rpcUrl],
        },
        ...(v1Name
          ? [
              {
                x402Version: 1 as const,
                networks: [v1Name],
                scheme: new ExactSvmSchemeV1(signer, cache, limits),
                redact: [entry.rpcUrl],
              },
            ]
          : []),
      ];
    });
  },
};

function parseSecretKey(key: unknown): Uint8Array | undefined {
  if (typeof key !== "string") return undefined;
  const text = key.trim();
  try {
    const bytes = text.startsWith("[") ? Uint8Array.from(JSON.parse(text) as number[]) : base58ToBytes(text);
    return bytes.length === 64 || bytes.length === 32 ? bytes : undefined;
  } catch {
    return undefined;
  }
}
