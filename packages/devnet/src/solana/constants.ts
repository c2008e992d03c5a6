import type { Address } from "@solana/kit";

/** SPL Token program. */
export const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA" as Address;
/** Token-2022 program. */
export const TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb" as Address;
/** Associated Token Account program. */
export const ASSOCIATED_TOKEN_PROGRAM = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL" as Address;
/** The system program (owner of plain wallets). */
export const SYSTEM_PROGRAM = "11111111111111111111111111111111" as Address;

/**
 * The local chain answers `getGenesisHash` with Solana devnet's genesis hash, so clients that
 * only accept the public CAIP-2 ids (the official `@x402/svm`) talk to it as "devnet".
 */
export const SOLANA_DEVNET_GENESIS_HASH = "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG";
/** CAIP-2 id the local chain is labelled with (Solana devnet's). */
export const SOLANA_DEVNET_NETWORK = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1";
/** Lamports each default account starts with (100 SOL). */
export const SOLANA_DEFAULT_LAMPORTS = 100_000_000_000n;
/** Token units (6 decimals) each default account starts with: 1000 USDC. */
export const SOLANA_DEFAULT_TOKEN_AMOUNT = 1_000_000_000n;
/** Base fee per signature, as on Solana clusters. */
export const LAMPORTS_PER_SIGNATURE = 5000n;
