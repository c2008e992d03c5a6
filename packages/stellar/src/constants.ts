/** CAIP-2 id of Stellar's public network. */
export const STELLAR_PUBNET_CAIP2 = "stellar:pubnet";
/** CAIP-2 id of Stellar's test network. */
export const STELLAR_TESTNET_CAIP2 = "stellar:testnet";
/** The pattern that matches every Stellar network (registration, `/supported` signers). */
export const STELLAR_WILDCARD_CAIP2 = "stellar:*";
/** SDF's public testnet Soroban RPC, the default for `stellar:testnet`. Pubnet has no default. */
export const DEFAULT_TESTNET_RPC_URL = "https://soroban-testnet.stellar.org";
/** Horizon of the testnet (ledger close time estimates). */
export const DEFAULT_TESTNET_HORIZON_URL = "https://horizon-testnet.stellar.org";
/** Horizon of the public network (ledger close time estimates). */
export const DEFAULT_PUBNET_HORIZON_URL = "https://horizon.stellar.org";
/** A payee: a G account, a C contract or an M muxed account. */
export const STELLAR_DESTINATION_ADDRESS_REGEX = /^(?:[GC][ABCD][A-Z2-7]{54}|M[ABCD][A-Z2-7]{67})$/;
/** An asset: a SEP-41 token contract (`C…`); classic assets go through their SAC. */
export const STELLAR_ASSET_ADDRESS_REGEX = /^(?:[C][ABCD][A-Z2-7]{54})$/;
/** Circle's USDC (SAC) on the public network. */
export const USDC_PUBNET_ADDRESS = "CCW67TSZV3SSS2HXMBQ5JFGCKJNXKZM7UQUWUZPUTHXSTZLEO7SJMI75";
/** Circle's USDC (SAC) on the testnet. */
export const USDC_TESTNET_ADDRESS = "CBIELTK6YBZJU5UP2WWQEUCYKLPU6AUNZ2BQ4WWFEIE3USCIHMXQDAMA";
/** Decimals of USDC on Stellar (and of every SAC). */
export const DEFAULT_TOKEN_DECIMALS = 7;
/** Ledger close time assumed when no estimate is available, in seconds. */
export const DEFAULT_ESTIMATED_LEDGER_SECONDS = 5;
