/** CAIP-2 id of Aptos mainnet (chain id 1). */
export const APTOS_MAINNET_CAIP2 = "aptos:1";
/** CAIP-2 id of Aptos testnet (chain id 2). */
export const APTOS_TESTNET_CAIP2 = "aptos:2";
/** CAIP-2 id of a local Aptos network (`aptos node run-localnet` uses chain id 4). */
export const APTOS_LOCAL_CAIP2 = "aptos:4";

/** Long-form account or object address: `0x` and 64 hex digits (the wire format of `asset` and `payTo`). */
export const APTOS_ADDRESS_REGEX = /^0x[a-fA-F0-9]{64}$/;

/** The entry function the client calls. */
export const TRANSFER_FUNCTION = "0x1::primary_fungible_store::transfer";
/** Its one type argument: the metadata object type of a fungible asset. */
export const FUNGIBLE_ASSET_METADATA_TYPE = "0x1::fungible_asset::Metadata";

/** Upper bound on `max_gas_amount` of a sponsored transaction (the official facilitator's). */
export const MAX_GAS_AMOUNT = 500_000n;
/**
 * Upper bound on `gas_unit_price` (octas) of a sponsored transaction. Ours: the reference
 * facilitator sets none (the spec asks for one, "e.g. ≤ 100"); 150 admits the node's
 * prioritized estimate at the usual 100-octa minimum.
 */
export const MAX_GAS_UNIT_PRICE = 150n;
/** `max_gas_amount` the client asks for (the Aptos SDK's default for simple transactions). */
export const DEFAULT_CLIENT_MAX_GAS_AMOUNT = 200_000n;
/** A transaction must stay valid at least this long after verification. */
export const EXPIRATION_BUFFER_SECONDS = 5;

/** USDC (fungible-asset metadata address) on mainnet. */
export const USDC_MAINNET_FA = "0xbae207659db88bea0cbead6da0ed00aac12edcdda169e591cd41c94180b46f3b";
/** USDC (fungible-asset metadata address) on testnet. */
export const USDC_TESTNET_FA = "0x69091fbab5f7d635ee7ac5098cf0c1efbe31d68fec0f2cd565e8d168daf52832";
