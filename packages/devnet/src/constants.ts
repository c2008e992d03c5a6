import type { Address } from "viem";

/** The well-known Hardhat/Foundry test mnemonic. Its keys are public: never use them for real funds. */
export const DEFAULT_MNEMONIC = "test test test test test test test test test test test junk";

/** Anvil's default chain id. */
export const DEVNET_CHAIN_ID = 31337;

/** Canonical Multicall3 address, where {@link startDevnet} places a compatible contract. */
export const MULTICALL3_ADDRESS: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";

/** Token metadata of TestUSDC, matching mainnet USDC's EIP-712 domain (name "USD Coin", version "2"). */
export const TEST_USDC = { name: "USD Coin", symbol: "USDC", version: "2", decimals: 6 } as const;

/** 1000 USDC in atomic units: what each default account receives. */
export const DEFAULT_FUNDING_AMOUNT = 1_000_000_000n;
