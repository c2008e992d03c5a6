import {
  type Account,
  type Address,
  type Chain,
  encodeFunctionData,
  erc20Abi,
  type Hash,
  type Hex,
  maxUint256,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import type { DevAccount, DevnetAccounts } from "./accounts.js";
import { PERMIT2_ADDRESS, SMART_WALLET_FACTORY_ADDRESS } from "./constants.js";
import { smartWalletAbi } from "./contracts/smartWalletArtifact.js";
import { testUsdcAbi } from "./contracts/testUsdcArtifact.js";
import type { DeployerSender, SentTransaction } from "./deployerSender.js";
import { smartWalletAddress, smartWalletFactoryCalldata, type WalletSalt } from "./smartWallet.js";
import type { DevnetTokens } from "./tokens.js";

/** A call a smart wallet makes through `execute`. */
export interface WalletCall {
  to: Address;
  value?: bigint;
  data?: Hex;
}

/** The devnet's helpers for tokens, Permit2 allowances and smart wallets. */
export interface DevnetHelpers {
  /** Mints `amount` atomic units of `token` (default TestUSDC) to `to`; resolves once mined. */
  mint(to: Address, amount: bigint, token?: Address): Promise<Hash>;
  /** Balance of `address` in `token` (default TestUSDC), atomic units. */
  balanceOf(address: Address, token?: Address): Promise<bigint>;
  /** ERC-20 allowance of `owner` to `spender` in `token` (default TestUSDC). */
  allowance(owner: Address, spender: Address, token?: Address): Promise<bigint>;
  /** `owner` approves Permit2 for `amount` (default unlimited) of `token`, paying the gas itself. */
  approvePermit2(owner: DevAccount, token: Address, amount?: bigint): Promise<Hash>;
  /** Deploys the smart wallet of (`owner`, `salt`) through the factory (no-op if it exists). */
  deploySmartWallet(owner: Address, salt?: WalletSalt): Promise<Address>;
  /** The wallet address of (`owner`, `salt`), deployed or not. */
  smartWalletAddress(owner: Address, salt?: WalletSalt): Address;
  /** `owner` makes `wallet` run `call` (e.g. an approve of Permit2); resolves once mined. */
  smartWalletExecute(owner: DevAccount, wallet: Address, call: WalletCall): Promise<Hash>;
}

interface HelperDeps {
  publicClient: PublicClient<Transport, Chain>;
  walletClient(account: DevAccount): WalletClient<Transport, Chain, Account>;
  sender: DeployerSender;
  tokens: DevnetTokens;
  accounts: DevnetAccounts;
}

/**
 * Builds {@link DevnetHelpers} over a started devnet, plus `queueMint` for startup (broadcast only).
 *
 * @example
 * const { helpers, queueMint } = devnetHelpers({ publicClient, walletClient, sender, tokens, accounts });
 */
export function devnetHelpers(deps: HelperDeps): {
  helpers: DevnetHelpers;
  queueMint(token: Address, to: Address, amount: bigint): Promise<SentTransaction>;
} {
  const { publicClient, walletClient, sender, tokens } = deps;
  const usdc = tokens.usdc.address;

  const queueMint = (token: Address, to: Address, amount: bigint) =>
    sender.send({
      to: token,
      // Every devnet token has TestUSDC's open `mint(address,uint256)`.
      data: encodeFunctionData({ abi: testUsdcAbi, functionName: "mint", args: [to, amount] }),
      gas: 120_000n,
    });

  const sendAs = async (account: DevAccount, to: Address, data: Hex, what: string): Promise<Hash> => {
    const hash = await walletClient(account).sendTransaction({ to, data });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${what} reverted (tx ${hash})`);
    return hash;
  };

  const helpers: DevnetHelpers = {
    mint: async (to, amount, token = usdc) => {
      const { hash } = await queueMint(token, to, amount);
      await sender.confirm(hash, `mint to ${to}`);
      return hash;
    },
    balanceOf: (address, token = usdc) =>
      publicClient.readContract({
        address: token,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [address],
      }),
    allowance: (owner, spender, token = usdc) =>
      publicClient.readContract({
        address: token,
        abi: erc20Abi,
        functionName: "allowance",
        args: [owner, spender],
      }),
    approvePermit2: (owner, token, amount = maxUint256) =>
      sendAs(
        owner,
        token,
        encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [PERMIT2_ADDRESS, amount] }),
        "approve(Permit2)",
      ),
    deploySmartWallet: async (owner, salt = 0n) => {
      const { hash } = await sender.send({
        to: SMART_WALLET_FACTORY_ADDRESS,
        data: smartWalletFactoryCalldata(owner, salt),
        gas: 1_000_000n,
      });
      await sender.confirm(hash, "createAccount");
      return smartWalletAddress(owner, salt);
    },
    smartWalletAddress: (owner, salt = 0n) => smartWalletAddress(owner, salt),
    smartWalletExecute: (owner, wallet, call) =>
      sendAs(
        owner,
        wallet,
        encodeFunctionData({
          abi: smartWalletAbi,
          functionName: "execute",
          args: [call.to, call.value ?? 0n, call.data ?? "0x"],
        }),
        "smart wallet execute",
      ),
  };
  return { helpers, queueMint };
}
