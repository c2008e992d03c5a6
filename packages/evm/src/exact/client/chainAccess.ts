import { X402Error } from "@x402kit/core";
import type { EvmSchemeOptions } from "./exactEvmScheme.js";
import type { ClientEvmSigner, EvmReadContractArgs } from "./signer.js";
import { decodeUint256Result, encodeAllowanceCall, encodeNoncesCall } from "./tokenCalls.js";

type Hex = `0x${string}`;

/**
 * The signer's chain reads and fee estimate, backfilled from the scheme's `rpcUrl` (one for
 * every chain, or one per chain id) where the signer has none — what the gas-sponsoring
 * extensions need. Plain JSON-RPC over `fetch` (no viem public client: this sits in the
 * browser bundle); the reads it serves are the extensions' own: `allowance` and `nonces`.
 *
 * @example
 * ```ts
 * const access = withChainAccess(account, { rpcUrl: "https://sepolia.base.org" }, 84532);
 * ```
 */
export function withChainAccess(
  signer: ClientEvmSigner,
  options: EvmSchemeOptions | undefined,
  chainId: number,
): ClientEvmSigner {
  if (signer.readContract && signer.getTransactionCount && signer.estimateFeesPerGas) return signer;
  const rpcUrl = rpcUrlFor(options, chainId);
  if (!rpcUrl) return signer;
  const rpc = jsonRpc(rpcUrl);
  const signTransaction = signer.signTransaction?.bind(signer);
  return {
    address: signer.address,
    signTypedData: (typedData) => signer.signTypedData(typedData),
    ...(signTransaction ? { signTransaction } : {}),
    readContract:
      signer.readContract?.bind(signer) ??
      (async (args) =>
        decodeUint256Result(
          await rpc<string>("eth_call", [{ to: args.address, data: tokenCall(args) }, "latest"]),
        )),
    getTransactionCount:
      signer.getTransactionCount?.bind(signer) ??
      (async ({ address }) => Number(await rpc<string>("eth_getTransactionCount", [address, "pending"]))),
    estimateFeesPerGas: signer.estimateFeesPerGas?.bind(signer) ?? (() => estimateFeesPerGas(rpc)),
  };
}

type Rpc = <T>(method: string, params: unknown[]) => Promise<T>;

function jsonRpc(url: string): Rpc {
  let id = 0;
  return async <T>(method: string, params: unknown[]): Promise<T> => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    });
    if (!response.ok) throw rpcError(`${method}: HTTP ${response.status}`);
    const body = (await response.json()) as { result?: T; error?: { message?: string } };
    if (body.error || body.result === undefined)
      throw rpcError(`${method}: ${body.error?.message ?? "no result"}`, body.error);
    return body.result;
  };
}

/** The reads the extensions make, by hand (any other read needs a signer that can read). */
function tokenCall(args: EvmReadContractArgs): Hex {
  const [first, second] = (args.args ?? []) as string[];
  if (args.functionName === "allowance" && first && second) return encodeAllowanceCall(first, second);
  if (args.functionName === "nonces" && first) return encodeNoncesCall(first);
  throw rpcError(`readContract "${args.functionName}" is not served from rpcUrl`);
}

/**
 * EIP-1559 fees as viem's `estimateFeesPerGas` computes them without a chain: priority fee from
 * `eth_maxPriorityFeePerGas` (else gas price − base fee), max fee = base fee × 1.2 + priority.
 */
async function estimateFeesPerGas(rpc: Rpc): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
  const block = await rpc<{ baseFeePerGas?: string | null }>("eth_getBlockByNumber", ["latest", false]);
  if (typeof block?.baseFeePerGas !== "string") throw rpcError("the chain has no EIP-1559 base fee");
  const baseFee = BigInt(block.baseFeePerGas);
  const maxPriorityFeePerGas = await rpc<string>("eth_maxPriorityFeePerGas", [])
    .then(BigInt)
    .catch(async () => {
      const gasPrice = BigInt(await rpc<string>("eth_gasPrice", []));
      return gasPrice > baseFee ? gasPrice - baseFee : 0n;
    });
  return { maxFeePerGas: (baseFee * 12n) / 10n + maxPriorityFeePerGas, maxPriorityFeePerGas };
}

function rpcError(message: string, cause?: unknown): X402Error {
  return new X402Error("payment_creation_failed", `rpcUrl: ${message}`, { cause });
}

function rpcUrlFor(options: EvmSchemeOptions | undefined, chainId: number): string | undefined {
  if (!options) return undefined;
  if ("rpcUrl" in options && typeof options.rpcUrl === "string") return options.rpcUrl;
  const perChain = (options as Record<number, { rpcUrl?: string }>)[chainId];
  return perChain?.rpcUrl;
}
