import { createPublicClient, http } from "viem";
import type { EvmSchemeOptions } from "./exactEvmScheme.js";
import type { ClientEvmSigner } from "./signer.js";

/**
 * The signer's chain reads and transaction helpers, backfilled from the scheme's `rpcUrl`
 * (one for every chain, or one per chain id) where the signer has none — what the
 * gas-sponsoring extensions need. A public client is made only when something is missing.
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
  const client = createPublicClient({ transport: http(rpcUrl) });
  const signTransaction = signer.signTransaction?.bind(signer);
  return {
    address: signer.address,
    signTypedData: (typedData) => signer.signTypedData(typedData),
    ...(signTransaction ? { signTransaction } : {}),
    readContract: signer.readContract?.bind(signer) ?? ((args) => client.readContract(args as never)),
    getTransactionCount:
      signer.getTransactionCount?.bind(signer) ??
      (({ address }) => client.getTransactionCount({ address, blockTag: "pending" })),
    estimateFeesPerGas:
      signer.estimateFeesPerGas?.bind(signer) ??
      (async () => {
        const fees = await client.estimateFeesPerGas();
        return { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
      }),
  };
}

function rpcUrlFor(options: EvmSchemeOptions | undefined, chainId: number): string | undefined {
  if (!options) return undefined;
  if ("rpcUrl" in options && typeof options.rpcUrl === "string") return options.rpcUrl;
  const perChain = (options as Record<number, { rpcUrl?: string }>)[chainId];
  return perChain?.rpcUrl;
}
