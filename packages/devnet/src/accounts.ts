import type { AnvilAccount } from "./anvil.js";

/** A dev account: address plus its (public, test-only) private key. */
export type DevAccount = AnvilAccount;

/**
 * Fixed roles on anvil's dev accounts, so every test and demo means the same key by the same name:
 *
 * | role          | index | address (default mnemonic)                   | USDC by default |
 * |---------------|-------|----------------------------------------------|-----------------|
 * | `deployer`    | 0     | `0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266` | —               |
 * | `facilitator` | 1     | `0x70997970C51812dc3A010C7d01b50e0d17dc79C8` | 1000            |
 * | `payer`       | 2     | `0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC` | 1000            |
 * | `payTo`       | 3     | `0x90F79bf6EB2c4f870365E785982E1f101E93b906` | 1000            |
 * | `other`       | 4     | `0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65` | 1000            |
 *
 * The deployer deploys TestUSDC and sends the funding mints, so its nonce moves during startup;
 * the facilitator's nonce starts at 0. `other` is a second payer or a third party.
 */
export interface DevnetAccounts {
  deployer: DevAccount;
  facilitator: DevAccount;
  payer: DevAccount;
  payTo: DevAccount;
  other: DevAccount;
}

/** Account index of each role. */
export const ACCOUNT_ROLES = { deployer: 0, facilitator: 1, payer: 2, payTo: 3, other: 4 } as const;

/**
 * Maps anvil's dev accounts to {@link DevnetAccounts} roles.
 *
 * @example
 * const { payer } = assignRoles(anvil.accounts);
 */
export function assignRoles(accounts: readonly DevAccount[]): DevnetAccounts {
  const pick = (index: number): DevAccount => {
    const account = accounts[index];
    if (!account) throw new Error(`devnet needs at least 5 dev accounts, anvil has ${accounts.length}`);
    return account;
  };
  return {
    deployer: pick(ACCOUNT_ROLES.deployer),
    facilitator: pick(ACCOUNT_ROLES.facilitator),
    payer: pick(ACCOUNT_ROLES.payer),
    payTo: pick(ACCOUNT_ROLES.payTo),
    other: pick(ACCOUNT_ROLES.other),
  };
}
