/** SPL Token program. */
export const TOKEN_PROGRAM_ADDRESS = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
/** Token-2022 program. */
export const TOKEN_2022_PROGRAM_ADDRESS = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
/** Compute Budget program. */
export const COMPUTE_BUDGET_PROGRAM_ADDRESS = "ComputeBudget111111111111111111111111111111";
/** SPL Memo program (v2). */
export const MEMO_PROGRAM_ADDRESS = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr";
/** Lighthouse: assertion instructions some wallets append. */
export const LIGHTHOUSE_PROGRAM_ADDRESS = "L2TExMFKdjpN9kozasaurPirfHy9P8sbXoAN1qA3S95";
/** Associated Token Account program. */
export const ASSOCIATED_TOKEN_PROGRAM_ADDRESS = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";

/** Public RPC endpoints of the Solana clusters. */
export const DEVNET_RPC_URL = "https://api.devnet.solana.com";
export const TESTNET_RPC_URL = "https://api.testnet.solana.com";
export const MAINNET_RPC_URL = "https://api.mainnet-beta.solana.com";
export const DEVNET_WS_URL = "wss://api.devnet.solana.com";
export const TESTNET_WS_URL = "wss://api.testnet.solana.com";
export const MAINNET_WS_URL = "wss://api.mainnet-beta.solana.com";

/** Compute-unit price the client sets (microlamports per CU). */
export const DEFAULT_COMPUTE_UNIT_PRICE_MICROLAMPORTS = 1;
/** Highest compute-unit price the facilitator accepts by default (5 lamports per CU). */
export const MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS = 5_000_000;
/** Compute-unit limit the client sets. */
export const DEFAULT_COMPUTE_UNIT_LIMIT = 20_000;
/** Highest compute-unit limit the facilitator accepts by default (10× what the client asks). */
export const MAX_COMPUTE_UNIT_LIMIT = 200_000;
/**
 * Highest priority fee (limit × price) the facilitator pays per payment by default, in
 * lamports: the client's 20,000 units at the highest default price.
 */
export const MAX_PRIORITY_FEE_LAMPORTS = 100_000;
/** Most required signatures accepted by default: the fee payer's and the payer's. */
export const MAX_REQUIRED_SIGNATURES = 2;
/** Longest `extra.memo`, in UTF-8 bytes. */
export const MAX_MEMO_BYTES = 256;
/** How long a settled (or settling) transaction is refused as a duplicate: beyond any blockhash's life. */
export const SETTLEMENT_TTL_MS = 120_000;
/** How long a broadcast (pending or settled) transaction message is remembered. */
export const SETTLED_TTL_MS = 3_600_000;
/** Timeout of one JSON-RPC call of the facilitator. */
export const RPC_TIMEOUT_MS = 10_000;
/** Default wait for a confirmation before answering `settlement_pending`. */
export const CONFIRM_TIMEOUT_MS = 30_000;
/** A base58 address of 32–44 characters (it must also decode to 32 bytes). */
export const SVM_ADDRESS_REGEX = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

/** CAIP-2 ids of the Solana clusters. */
export const SOLANA_MAINNET_CAIP2 = "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp";
export const SOLANA_DEVNET_CAIP2 = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1";
export const SOLANA_TESTNET_CAIP2 = "solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z";

/** x402 v1 network names → CAIP-2. */
export const V1_TO_V2_NETWORK_MAP: Record<string, string> = {
  solana: SOLANA_MAINNET_CAIP2,
  "solana-devnet": SOLANA_DEVNET_CAIP2,
  "solana-testnet": SOLANA_TESTNET_CAIP2,
};

/** USDC mints. */
export const USDC_MAINNET_ADDRESS = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
export const USDC_DEVNET_ADDRESS = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU";
export const USDC_TESTNET_ADDRESS = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU";
