import { toFacilitatorEvmSigner } from "@x402/evm";
import type { DevAccount, Devnet } from "@x402kit/devnet";
import { publicActions } from "viem";

/**
 * The official `@x402/evm` facilitator signer over a devnet account (wallet + public actions).
 *
 * @example
 * ```ts
 * new OfficialExactEvmScheme(officialEvmFacilitatorSigner(devnet, devnet.accounts.other));
 * ```
 */
export function officialEvmFacilitatorSigner(devnet: Devnet, account: DevAccount) {
  const client = devnet.walletClient(account).extend(publicActions);
  // viem's verifyTypedData is wider than the official signer type declares; the runtime shape fits.
  return toFacilitatorEvmSigner({ ...client, address: account.address } as unknown as Parameters<
    typeof toFacilitatorEvmSigner
  >[0]);
}
