import { X402Error } from "@x402kit/core";
import type { KeyValueStore } from "@x402kit/core/storage";
import { redactUrl } from "@x402kit/core/utils";
import { BaseError, createPublicClient, createWalletClient, defineChain, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { GasPriceBounds } from "./gasBounds.js";
import { keepAliveHttp } from "./keepAliveTransport.js";
import type { FacilitatorEvmSigner } from "./signer.js";
import { combineFacilitatorEvmSigners, toFacilitatorEvmSigner } from "./viemSigner.js";

/**
 * How {@link createRpcSigner} reaches a chain.
 *
 * @example
 * ```ts
 * const options: RpcSignerOptions = { chainId: 8453, rpcUrl: "https://mainnet.base.org", privateKeys: [key] };
 * ```
 */
export interface RpcSignerOptions {
  chainId: number;
  rpcUrl: string;
  /** One or more accounts; settlements rotate over them. */
  privateKeys: readonly `0x${string}`[];
  /** How often receipts are polled. Default 1000 ms. */
  pollingIntervalMs?: number;
  /** Per JSON-RPC request. Default 10 000 ms. */
  rpcTimeoutMs?: number;
  /** Gas price cap and priority fee (see {@link GasPriceBounds}). */
  gasBounds?: GasPriceBounds;
  /** Told each time a node refused a nonce and the send was retried. */
  onNonceRetry?: (error: unknown) => void;
  /** Journal every signed transaction here (see {@link FacilitatorEvmSignerOptions.journal}). */
  journal?: KeyValueStore;
  /** A send waiting longer than this for its account's turn gives up, nothing signed. Default 20 000 ms. */
  maxQueueWaitMs?: number;
}

/**
 * A {@link FacilitatorEvmSigner} over an RPC URL and private keys, after checking that the
 * RPC answers and is on `chainId` (a facilitator must never sign for one chain while talking
 * to another). Error messages show the RPC URL redacted.
 *
 * @throws {X402Error} `invalid_facilitator_config` for an unreachable RPC, another chain or a bad key.
 * @example
 * ```ts
 * const signer = await createRpcSigner({ chainId: 31337, rpcUrl: "http://127.0.0.1:8545", privateKeys: [key] });
 * ```
 */
export async function createRpcSigner(options: RpcSignerOptions): Promise<FacilitatorEvmSigner> {
  const { chainId, rpcUrl } = options;
  const field = `networks.eip155:${chainId}.rpcUrl`;
  const chain = defineChain({
    id: chainId,
    name: `eip155:${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  // node:http with keep-alive sockets: a quarter of the CPU of viem's fetch-based http() per call.
  const transport = keepAliveHttp(rpcUrl, { timeoutMs: options.rpcTimeoutMs ?? 10_000, retryCount: 2 });
  const pollingInterval = options.pollingIntervalMs ?? 1_000;
  const publicClient = createPublicClient({ chain, transport, pollingInterval }) as PublicClient;
  await checkChainId(publicClient, chainId, rpcUrl, field);
  const signers = options.privateKeys.map((key, index) => {
    let account: ReturnType<typeof privateKeyToAccount>;
    try {
      account = privateKeyToAccount(key);
    } catch {
      throw new X402Error(
        "invalid_facilitator_config",
        `signers.eip155.privateKeys[${index}]: not a valid secp256k1 private key`,
      );
    }
    const walletClient = createWalletClient({ chain, transport, account, pollingInterval });
    return toFacilitatorEvmSigner(
      { walletClient, publicClient },
      {
        ...(options.gasBounds ? { gasBounds: options.gasBounds } : {}),
        ...(options.onNonceRetry ? { onNonceRetry: options.onNonceRetry } : {}),
        ...(options.journal ? { journal: options.journal } : {}),
        ...(options.maxQueueWaitMs === undefined ? {} : { maxQueueWaitMs: options.maxQueueWaitMs }),
      },
    );
  });
  return combineFacilitatorEvmSigners(signers);
}

async function checkChainId(
  client: PublicClient,
  expected: number,
  rpcUrl: string,
  field: string,
): Promise<void> {
  let actual: number;
  try {
    actual = await client.getChainId();
  } catch (error) {
    throw new X402Error(
      "invalid_facilitator_config",
      `${field}: cannot reach ${redactRpcUrl(rpcUrl)} (eth_chainId failed: ${shortReason(error, rpcUrl)})`,
      { details: { field } },
    );
  }
  if (actual !== expected)
    throw new X402Error(
      "invalid_facilitator_config",
      `${field}: the RPC at ${redactRpcUrl(rpcUrl)} is on chain ${actual}, not ${expected}`,
      { details: { field } },
    );
}

/** An RPC URL safe to print (scheme and host): API keys live in the rest. */
export const redactRpcUrl = redactUrl;

/** viem messages list the request URL (which may hold an API key); keep the cause only. */
function shortReason(error: unknown, rpcUrl: string): string {
  const text =
    error instanceof BaseError
      ? [error.shortMessage, error.details].filter(Boolean).join(" ")
      : error instanceof Error
        ? error.message
        : String(error);
  return text.replaceAll(rpcUrl, redactRpcUrl(rpcUrl)).slice(0, 300);
}
