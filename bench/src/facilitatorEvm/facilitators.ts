import { toFacilitatorEvmSigner as officialFacilitatorSigner } from "@x402/evm";
import { ExactEvmScheme as OfficialExactEvmScheme } from "@x402/evm/exact/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { ExactEvmScheme, keepAliveHttp, toFacilitatorEvmSigner } from "@x402kit/evm/exact/facilitator";
import { type Chain, createPublicClient, createWalletClient, defineChain, http, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { countingTransport, type RpcCounter } from "./rpcCounting.js";

export type FacilitatorSide = "ours" | "official";

/** What both facilitator schemes offer the bench: verify one payment. */
export interface VerifyingScheme {
  verify(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
  ): Promise<{ isValid: boolean; invalidReason?: string | null }>;
}

/** Where a facilitator scheme reaches the chain and which key pays its gas. */
export interface FacilitatorSetup {
  rpcUrl: string;
  chainId: number;
  privateKey: `0x${string}`;
}

export function benchChain({ rpcUrl, chainId }: FacilitatorSetup): Chain {
  return defineChain({
    id: chainId,
    name: "bench devnet",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/**
 * The `exact` facilitator scheme of one side over a counting transport: ours (`@x402kit/evm`,
 * reads over `keepAliveHttp` as the facilitator service's `createRpcSigner` builds them), or the
 * official `@x402/evm` 2.27 one built as its examples do (`toFacilitatorEvmSigner` over a viem
 * wallet client with `http()`, extended with public actions).
 */
export function createFacilitatorScheme(
  side: FacilitatorSide,
  setup: FacilitatorSetup,
  counter: RpcCounter,
): VerifyingScheme {
  const chain = benchChain(setup);
  const account = privateKeyToAccount(setup.privateKey);
  if (side === "ours") {
    const transport = countingTransport(keepAliveHttp(setup.rpcUrl), chain, counter);
    const walletClient = createWalletClient({ account, chain, transport });
    const publicClient = createPublicClient({ chain, transport });
    return new ExactEvmScheme(toFacilitatorEvmSigner({ walletClient, publicClient: publicClient as never }));
  }
  const transport = countingTransport(http(setup.rpcUrl), chain, counter);
  const walletClient = createWalletClient({ account, chain, transport });
  const signer = officialFacilitatorSigner({
    ...walletClient.extend(publicActions),
    address: account.address,
  } as unknown as Parameters<typeof officialFacilitatorSigner>[0]);
  const scheme = new OfficialExactEvmScheme(signer);
  return {
    verify: (payload, requirements) => scheme.verify(payload as never, requirements as never),
  };
}
