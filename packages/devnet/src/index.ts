/**
 * `@x402kit/devnet`: local EVM chains for x402 tests and demos. Anvil plus TestUSDC (an
 * EIP-3009 / EIP-2612 stablecoin with USDC's EIP-712 domain) plus Multicall3.
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
export { devnetChain } from "./chain.js";
export {
  DEFAULT_FUNDING_AMOUNT,
  DEFAULT_MNEMONIC,
  DEVNET_CHAIN_ID,
  MULTICALL3_ADDRESS,
  TEST_USDC,
} from "./constants.js";
export { multicall3Abi, multicall3RuntimeBytecode } from "./contracts/multicall3Artifact.js";
export { testUsdcAbi, testUsdcBytecode } from "./contracts/testUsdcArtifact.js";
export { type Devnet, type DevnetOptions, type DevnetUsdc, type Funding, startDevnet } from "./devnet.js";
export { getFreePort } from "./freePort.js";
