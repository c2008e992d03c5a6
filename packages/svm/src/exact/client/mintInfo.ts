import type { Address } from "@solana/kit";
import { X402Error } from "@x402kit/core";
import { TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from "../../constants.js";
import { base64ToBytes } from "../../encoding.js";
import type { SvmRpc } from "../../rpc.js";

/** What the client reads from a mint account: its token program and decimals. */
export interface MintInfo {
  tokenProgram: string;
  decimals: number;
}

/**
 * Read a mint's owner program (SPL Token or Token-2022) and decimals over RPC.
 *
 * @throws {X402Error} `invalid_payment_requirements` when the account is missing or is not a mint.
 * @example
 * ```ts
 * const { tokenProgram, decimals } = await readMint(rpc, asset);
 * ```
 */
export async function readMint(rpc: SvmRpc, mint: string): Promise<MintInfo> {
  const { value } = await rpc.getAccountInfo(mint as Address, { encoding: "base64" }).send();
  if (!value) throw new X402Error("invalid_payment_requirements", `mint ${mint} does not exist`);
  const owner = String(value.owner);
  if (owner !== TOKEN_PROGRAM_ADDRESS && owner !== TOKEN_2022_PROGRAM_ADDRESS)
    throw new X402Error(
      "invalid_payment_requirements",
      `${mint} is not owned by a token program (owner ${owner})`,
    );
  const data = base64ToBytes(String(value.data[0]));
  if (data.length < 82 || data[45] !== 1)
    throw new X402Error("invalid_payment_requirements", `${mint} is not an initialised mint`);
  return { tokenProgram: owner, decimals: data[44] as number };
}
