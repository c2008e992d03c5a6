import type { Address, Chain, Hex, TestClient, Transport } from "viem";
import {
  MULTICALL3_ADDRESS,
  PERMIT2_ADDRESS,
  SMART_WALLET_FACTORY_ADDRESS,
  X402_EXACT_PERMIT2_PROXY,
  X402_UPTO_PERMIT2_PROXY,
} from "./constants.js";
import { x402ExactPermit2ProxyRuntimeBytecode } from "./contracts/exactPermit2ProxyArtifact.js";
import { multicall3RuntimeBytecode } from "./contracts/multicall3Artifact.js";
import { devnetPermit2RuntimeBytecode } from "./contracts/permit2Artifact.js";
import { smartWalletFactoryRuntimeBytecode } from "./contracts/smartWalletFactoryArtifact.js";
import { x402UptoPermit2ProxyRuntimeBytecode } from "./contracts/uptoPermit2ProxyArtifact.js";

/** The contracts {@link placeCanonicalContracts} puts at fixed addresses. */
export interface DevnetContracts {
  multicall3: Address;
  /** Our Permit2-compatible SignatureTransfer (DevnetPermit2) at the canonical Permit2 address. */
  permit2: Address;
  /** Our stand-in for `x402ExactPermit2Proxy`, at its canonical address. */
  x402ExactPermit2Proxy: Address;
  /** Our stand-in for `x402UptoPermit2Proxy`, at its canonical address. */
  x402UptoPermit2Proxy: Address;
  /** DevnetSmartWalletFactory (CREATE2 factory of DevnetSmartWallet). */
  smartWalletFactory: Address;
}

/**
 * Addresses of the placed contracts (the same on every devnet).
 *
 * @example
 * const proxy = DEVNET_CONTRACTS.x402ExactPermit2Proxy; // 0x402085c248EeA27D92E8b30b2C58ed07f9E20001
 */
export const DEVNET_CONTRACTS: DevnetContracts = {
  multicall3: MULTICALL3_ADDRESS,
  permit2: PERMIT2_ADDRESS,
  x402ExactPermit2Proxy: X402_EXACT_PERMIT2_PROXY,
  x402UptoPermit2Proxy: X402_UPTO_PERMIT2_PROXY,
  smartWalletFactory: SMART_WALLET_FACTORY_ADDRESS,
};

const RUNTIME_CODE: readonly [Address, Hex][] = [
  [MULTICALL3_ADDRESS, multicall3RuntimeBytecode],
  [PERMIT2_ADDRESS, devnetPermit2RuntimeBytecode],
  [X402_EXACT_PERMIT2_PROXY, x402ExactPermit2ProxyRuntimeBytecode],
  [X402_UPTO_PERMIT2_PROXY, x402UptoPermit2ProxyRuntimeBytecode],
  [SMART_WALLET_FACTORY_ADDRESS, smartWalletFactoryRuntimeBytecode],
];

/**
 * Places Multicall3, Permit2, both x402 Permit2 proxies and the smart-wallet factory with
 * `anvil_setCode`. None of them has a constructor, immutables or initialised storage, so runtime
 * code alone makes them work (their storage starts empty).
 *
 * @example
 * await placeCanonicalContracts(testClient);
 */
export async function placeCanonicalContracts(
  testClient: TestClient<"anvil", Transport, Chain>,
): Promise<void> {
  await Promise.all(RUNTIME_CODE.map(([address, bytecode]) => testClient.setCode({ address, bytecode })));
}
