import type { FacilitatorExtension, SchemeFacilitator } from "@x402kit/core";
import type { KeyValueStore } from "@x402kit/core/storage";
import { createPublicClient, defineChain, type PublicClient } from "viem";
import { EIP2612_GAS_SPONSORING } from "../../gasSponsoring/eip2612.js";
import {
  ERC20_APPROVAL_GAS_SPONSORING,
  type Erc20ApprovalGasSponsoringFacilitatorExtension,
  type Erc20ApprovalGasSponsoringSigner,
} from "../../gasSponsoring/erc20Approval.js";
import { createErc20ApprovalSponsorSigner } from "../../gasSponsoring/sponsorSigner.js";
import { UptoEvmScheme } from "../../upto/facilitator/uptoEvmScheme.js";
import { evmNetworkNameV1, registerEvmNetworkV1 } from "../../v1/networks.js";
import { ExactEvmSchemeV1 } from "../v1/facilitator/exactEvmSchemeV1.js";
import type { ExactEvmScheme } from "./exactEvmScheme.js";
import type { GasPriceBounds } from "./gasBounds.js";
import { keepAliveHttp } from "./keepAliveTransport.js";
import { createRpcSigner } from "./rpcSigner.js";
import type { FacilitatorEvmSigner } from "./signer.js";

/**
 * The options of one network entry that add schemes and extensions beside `exact`.
 *
 * @example
 * ```ts
 * const extras: EvmNetworkExtras = { upto: true, erc20ApprovalGasSponsoring: true, sponsorBudgetWei: "100000000000000000" };
 * ```
 */
export interface EvmNetworkExtras {
  /** Serve `upto` too (each key settles the payments whose witness names it). */
  upto?: boolean;
  /** Serve v1 `exact` under this name (default: the chain's known v1 name, if any); `""`: no v1. */
  v1NetworkName?: string;
  /** List `eip2612GasSponsoring` in `/supported` (the permit is always honoured when it comes). */
  eip2612GasSponsoring?: boolean;
  /** Broadcast payers' signed approvals, funding their gas within the sponsor limits below. */
  erc20ApprovalGasSponsoring?: boolean;
  sponsorMaxFundingWei?: string;
  sponsorBudgetWei?: string;
  sponsorBudgetWindowMs?: number;
  sponsorCooldownMs?: number;
  sponsorMaxFeeMultiplier?: number;
}

/** What the extras of one network add: registrations and, per network, an approval sponsor. */
export interface EvmNetworkAdditions {
  registrations: Array<{ x402Version?: 1 | 2; networks: string[]; scheme: SchemeFacilitator }>;
  sponsor?: Erc20ApprovalGasSponsoringSigner;
}

/**
 * The schemes and sponsor a network entry's extras ask for: `upto` over the per-key signers
 * (they share nonce managers with `exact`'s pooled signer), the v1 twin sharing the `exact`
 * instance (one ledger), and the approval sponsor (a separate key, or the settlement signer
 * so funding goes through its nonce manager; cooldowns and budget in the service's store).
 *
 * @example
 * ```ts
 * const added = await evmNetworkAdditions(entry, { exact, keySigners, pooled, store, sponsorKey });
 * ```
 */
export async function evmNetworkAdditions(
  entry: EvmNetworkExtras & { network: string; chainId: number; rpcUrl: string; rpcTimeoutMs?: number },
  parts: {
    exact: ExactEvmScheme;
    keySigners: readonly FacilitatorEvmSigner[];
    pooled: FacilitatorEvmSigner;
    store: KeyValueStore;
    sponsorKey?: `0x${string}`;
    receiptTimeoutMs?: number;
    /** Gas bounds of the network (the separate sponsor key keeps them too). */
    gasBounds?: GasPriceBounds;
    /** The network's guard and record TTLs (upto keeps them too). */
    ttls?: { guardTtlMs: number; recordTtlMs: number };
  },
): Promise<EvmNetworkAdditions> {
  const registrations: EvmNetworkAdditions["registrations"] = [];
  if (entry.upto)
    registrations.push({
      networks: [entry.network],
      scheme: new UptoEvmScheme([...parts.keySigners], {
        store: parts.store,
        ...parts.ttls,
        ...(parts.receiptTimeoutMs === undefined ? {} : { receiptTimeoutMs: parts.receiptTimeoutMs }),
      }),
    });
  const v1Name = entry.v1NetworkName ?? evmNetworkNameV1(entry.chainId);
  if (v1Name) {
    if (entry.v1NetworkName) registerEvmNetworkV1(v1Name, entry.chainId);
    registrations.push({ x402Version: 1, networks: [v1Name], scheme: new ExactEvmSchemeV1(parts.exact) });
  }
  if (!entry.erc20ApprovalGasSponsoring) return { registrations };
  const reader = sponsorReader(entry);
  const funder = parts.sponsorKey
    ? await createRpcSigner({
        chainId: entry.chainId,
        rpcUrl: entry.rpcUrl,
        privateKeys: [parts.sponsorKey],
        journal: parts.store,
        ...(parts.gasBounds ? { gasBounds: parts.gasBounds } : {}),
        ...(entry.rpcTimeoutMs === undefined ? {} : { rpcTimeoutMs: entry.rpcTimeoutMs }),
      })
    : parts.pooled;
  const sponsor = createErc20ApprovalSponsorSigner(
    { signer: funder, publicClient: reader },
    {
      store: parts.store,
      ...(entry.sponsorMaxFundingWei === undefined
        ? {}
        : { maxFundingWei: BigInt(entry.sponsorMaxFundingWei) }),
      ...(entry.sponsorBudgetWei === undefined ? {} : { budgetWei: BigInt(entry.sponsorBudgetWei) }),
      ...(entry.sponsorBudgetWindowMs === undefined ? {} : { budgetWindowMs: entry.sponsorBudgetWindowMs }),
      ...(entry.sponsorCooldownMs === undefined ? {} : { fundingCooldownMs: entry.sponsorCooldownMs }),
      ...(entry.sponsorMaxFeeMultiplier === undefined
        ? {}
        : { maxFeeMultiplier: BigInt(entry.sponsorMaxFeeMultiplier) }),
    },
  );
  return { registrations, sponsor };
}

/**
 * The facilitator extensions of all networks together (one per key): the approval sponsor
 * answers per network; `eip2612GasSponsoring` is listed when any network asks for it.
 *
 * @example
 * ```ts
 * const extensions = evmExtensions(new Map([["eip155:8453", sponsor]]), true);
 * ```
 */
export function evmExtensions(
  sponsors: ReadonlyMap<string, Erc20ApprovalGasSponsoringSigner>,
  eip2612: boolean,
): FacilitatorExtension[] {
  const extensions: FacilitatorExtension[] = [];
  if (eip2612) extensions.push({ key: EIP2612_GAS_SPONSORING.key });
  // No default signer: a network without a sponsor has none (its approvals are not sponsored).
  const extension: Erc20ApprovalGasSponsoringFacilitatorExtension = {
    key: ERC20_APPROVAL_GAS_SPONSORING.key,
    signerForNetwork: (network) => sponsors.get(network),
  };
  if (sponsors.size > 0) extensions.push(extension);
  return extensions;
}

function sponsorReader(entry: { chainId: number; rpcUrl: string; rpcTimeoutMs?: number }): PublicClient {
  const chain = defineChain({
    id: entry.chainId,
    name: `eip155:${entry.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [entry.rpcUrl] } },
  });
  const transport = keepAliveHttp(entry.rpcUrl, { timeoutMs: entry.rpcTimeoutMs ?? 10_000, retryCount: 2 });
  return createPublicClient({ chain, transport }) as PublicClient;
}
