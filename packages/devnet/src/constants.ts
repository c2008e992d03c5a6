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

/** Canonical Permit2 address, where {@link startDevnet} places our Permit2-compatible DevnetPermit2. */
export const PERMIT2_ADDRESS = "0x000000000022D473030F116dDEE9F6B43aC78BA3" as const;

/** Canonical `x402ExactPermit2Proxy` address, where {@link startDevnet} places our stand-in. */
export const X402_EXACT_PERMIT2_PROXY = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001" as const;

/** Canonical `x402UptoPermit2Proxy` address, where {@link startDevnet} places our stand-in. */
export const X402_UPTO_PERMIT2_PROXY = "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002" as const;

/** Where {@link startDevnet} places DevnetSmartWalletFactory (a devnet-only address of our choosing). */
export const SMART_WALLET_FACTORY_ADDRESS = "0x6492FAC700000000000000000000000000000001" as const;

/** A 6-decimals stablecoin with EIP-2612 but no EIP-3009: payable through Permit2 only. */
export const PERMIT2_USD = { name: "Permit2 USD", symbol: "PUSD", version: "1", decimals: 6 } as const;

/** An 18-decimals stablecoin with EIP-3009 and EIP-2612, to prove decimals handling on both paths. */
export const USD18 = { name: "USD Eighteen", symbol: "USD18", version: "1", decimals: 18 } as const;
