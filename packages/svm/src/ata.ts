import { type Address, getAddressEncoder, getProgramDerivedAddress } from "@solana/kit";
import { ASSOCIATED_TOKEN_PROGRAM_ADDRESS } from "./constants.js";

const cache = new Map<string, Promise<Address>>();
const MAX_CACHED = 10_000;

/**
 * The associated token account of `owner` for `mint` under `tokenProgram` (SPL Token or
 * Token-2022): the PDA with seeds `[owner, tokenProgram, mint]` of the ATA program. Memoised:
 * a facilitator derives the same few ATAs for every payment.
 *
 * @example
 * ```ts
 * const destination = await findAssociatedTokenAddress(payTo, mint, TOKEN_PROGRAM_ADDRESS);
 * ```
 */
export function findAssociatedTokenAddress(
  owner: string,
  mint: string,
  tokenProgram: string,
): Promise<Address> {
  const key = `${owner}:${mint}:${tokenProgram}`;
  let found = cache.get(key);
  if (!found) {
    const encoder = getAddressEncoder();
    found = getProgramDerivedAddress({
      programAddress: ASSOCIATED_TOKEN_PROGRAM_ADDRESS as Address,
      seeds: [
        encoder.encode(owner as Address),
        encoder.encode(tokenProgram as Address),
        encoder.encode(mint as Address),
      ],
    }).then(([pda]) => pda);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}
