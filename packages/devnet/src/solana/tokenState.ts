import { type Address, getAddressCodec, getProgramDerivedAddress } from "@solana/kit";
import { ASSOCIATED_TOKEN_PROGRAM } from "./constants.js";

const MINT_SIZE = 82;
const TOKEN_ACCOUNT_SIZE = 165;
const addressCodec = getAddressCodec();

/**
 * The associated token account of `owner` for `mint` under `tokenProgram`: the PDA with seeds
 * `[owner, tokenProgram, mint]` of the ATA program.
 *
 * @example
 * ```ts
 * const ata = await associatedTokenAddress(payer, usdcMint, TOKEN_PROGRAM);
 * ```
 */
export async function associatedTokenAddress(
  owner: Address,
  mint: Address,
  tokenProgram: Address,
): Promise<Address> {
  const [pda] = await getProgramDerivedAddress({
    programAddress: ASSOCIATED_TOKEN_PROGRAM,
    seeds: [addressCodec.encode(owner), addressCodec.encode(tokenProgram), addressCodec.encode(mint)],
  });
  return pda;
}

/**
 * The 82-byte state of an initialised mint without extensions (the base layout, valid for SPL
 * Token and Token-2022 alike).
 *
 * @example
 * ```ts
 * const data = encodeMint({ authority, supply: 0n, decimals: 6 });
 * ```
 */
export function encodeMint(mint: { authority: Address; supply: bigint; decimals: number }): Uint8Array {
  const data = new Uint8Array(MINT_SIZE);
  const view = new DataView(data.buffer);
  view.setUint32(0, 1, true); // mint authority: Some
  data.set(addressCodec.encode(mint.authority), 4);
  view.setBigUint64(36, mint.supply, true);
  data[44] = mint.decimals;
  data[45] = 1; // initialised
  // freeze authority: None (zeros)
  return data;
}

/**
 * The 165-byte state of an initialised token account without extensions.
 *
 * @example
 * ```ts
 * const data = encodeTokenAccount({ mint, owner, amount: 1_000_000n });
 * ```
 */
export function encodeTokenAccount(account: { mint: Address; owner: Address; amount: bigint }): Uint8Array {
  const data = new Uint8Array(TOKEN_ACCOUNT_SIZE);
  const view = new DataView(data.buffer);
  data.set(addressCodec.encode(account.mint), 0);
  data.set(addressCodec.encode(account.owner), 32);
  view.setBigUint64(64, account.amount, true);
  data[108] = 1; // state: initialised
  return data;
}

/**
 * Read a token account's `{ mint, owner, amount }`, or undefined when `data` is not one.
 *
 * @example
 * ```ts
 * decodeTokenAccount(account.data)?.amount;
 * ```
 */
export function decodeTokenAccount(
  data: Uint8Array,
): { mint: Address; owner: Address; amount: bigint } | undefined {
  if (data.length < TOKEN_ACCOUNT_SIZE || data[108] === 0) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    mint: addressCodec.decode(data.subarray(0, 32)),
    owner: addressCodec.decode(data.subarray(32, 64)),
    amount: view.getBigUint64(64, true),
  };
}

/**
 * Read a mint's `{ supply, decimals }`, or undefined when `data` is not one.
 *
 * @example
 * ```ts
 * decodeMint(account.data)?.decimals; // 6
 * ```
 */
export function decodeMint(data: Uint8Array): { supply: bigint; decimals: number } | undefined {
  if (data.length < MINT_SIZE || data[45] !== 1) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { supply: view.getBigUint64(36, true), decimals: data[44] ?? 0 };
}
