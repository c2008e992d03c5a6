import type { TransferWithAuthorizationTypedData } from "../../typedData.js";

/**
 * What the EVM exact client needs from a wallet: its address and EIP-712 signing.
 * A viem `LocalAccount` (`privateKeyToAccount(key)`) fits as is; for a viem `WalletClient`
 * pass `{ address: wallet.account.address, signTypedData: (d) => wallet.signTypedData({ account: wallet.account, ...d }) }`.
 *
 * @example
 * ```ts
 * const signer: ClientEvmSigner = privateKeyToAccount(process.env.PAYER_KEY as `0x${string}`);
 * ```
 */
export interface ClientEvmSigner {
  readonly address: `0x${string}`;
  signTypedData(typedData: TransferWithAuthorizationTypedData): Promise<`0x${string}`>;
}
