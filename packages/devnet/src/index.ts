/**
 * `@x402kit/devnet`: local EVM chains for x402 tests and demos. Anvil plus TestUSDC (an
 * EIP-3009 / EIP-2612 stablecoin with USDC's EIP-712 domain), a Permit2-only and an 18-decimals
 * stablecoin, our own Permit2-compatible contract and x402 Permit2 proxies at their canonical
 * addresses, a smart-wallet factory, and Multicall3.
 *
 * @packageDocumentation
 */
export { ACCOUNT_ROLES, assignRoles, type DevAccount, type DevnetAccounts } from "./accounts.js";
export {
  type AnvilAccount,
  type AnvilExit,
  type AnvilInstance,
  type AnvilOptions,
  startAnvil,
} from "./anvil.js";
export { resolveAnvilBinary } from "./anvilBinary.js";
export { DEVNET_CONTRACTS, type DevnetContracts, placeCanonicalContracts } from "./canonicalContracts.js";
export { devnetChain } from "./chain.js";
export {
  DEFAULT_FUNDING_AMOUNT,
  DEFAULT_MNEMONIC,
  DEVNET_CHAIN_ID,
  MULTICALL3_ADDRESS,
  PERMIT2_ADDRESS,
  PERMIT2_USD,
  SMART_WALLET_FACTORY_ADDRESS,
  TEST_USDC,
  USD18,
  X402_EXACT_PERMIT2_PROXY,
  X402_UPTO_PERMIT2_PROXY,
} from "./constants.js";
export { devnetEip3009TokenAbi, devnetEip3009TokenBytecode } from "./contracts/eip3009TokenArtifact.js";
export {
  x402ExactPermit2ProxyAbi,
  x402ExactPermit2ProxyRuntimeBytecode,
} from "./contracts/exactPermit2ProxyArtifact.js";
export { multicall3Abi, multicall3RuntimeBytecode } from "./contracts/multicall3Artifact.js";
export { devnetPermit2Abi, devnetPermit2RuntimeBytecode } from "./contracts/permit2Artifact.js";
export { devnetPermitTokenAbi, devnetPermitTokenBytecode } from "./contracts/permitTokenArtifact.js";
export { smartWalletAbi, smartWalletBytecode } from "./contracts/smartWalletArtifact.js";
export {
  smartWalletFactoryAbi,
  smartWalletFactoryRuntimeBytecode,
} from "./contracts/smartWalletFactoryArtifact.js";
export { testUsdcAbi, testUsdcBytecode } from "./contracts/testUsdcArtifact.js";
export {
  x402UptoPermit2ProxyAbi,
  x402UptoPermit2ProxyRuntimeBytecode,
} from "./contracts/uptoPermit2ProxyArtifact.js";
export { type Devnet, type DevnetOptions, type DevnetUsdc, type Funding, startDevnet } from "./devnet.js";
export type { DevnetHelpers, WalletCall } from "./devnetHelpers.js";
export { getFreePort } from "./freePort.js";
export {
  ERC6492_MAGIC_SUFFIX,
  smartWalletAddress,
  smartWalletFactoryCalldata,
  type WalletSalt,
  wrapErc6492,
} from "./smartWallet.js";
export { type DevnetToken, type DevnetTokenKey, type DevnetTokens, thousandTokens } from "./tokens.js";
