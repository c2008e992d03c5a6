import {
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createTestClient,
  createWalletClient,
  getAddress,
  type Hash,
  http,
  type PublicClient,
  type TestClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { assignRoles, type DevAccount, type DevnetAccounts } from "./accounts.js";
import { type AnvilInstance, type AnvilOptions, startAnvil } from "./anvil.js";
import { devnetChain } from "./chain.js";
import { DEFAULT_FUNDING_AMOUNT, MULTICALL3_ADDRESS, TEST_USDC } from "./constants.js";
import { multicall3RuntimeBytecode } from "./contracts/multicall3Artifact.js";
import { testUsdcAbi, testUsdcBytecode } from "./contracts/testUsdcArtifact.js";

/** A USDC grant made at startup. */
export interface Funding {
  address: Address;
  /** Atomic units (6 decimals). Default 1000 USDC. */
  amount?: bigint;
}

/** Options for {@link startDevnet}: anvil's options plus funding. */
export interface DevnetOptions extends AnvilOptions {
  /** Mint 1000 USDC to the facilitator, payer, payTo and other accounts (1..4). Default true. */
  fundDefaultAccounts?: boolean;
  /** Extra mints, made after the default ones. */
  fund?: readonly Funding[];
}

/** The deployed TestUSDC, with everything a client needs for EIP-712 signing. */
export interface DevnetUsdc {
  address: Address;
  name: typeof TEST_USDC.name;
  symbol: typeof TEST_USDC.symbol;
  version: typeof TEST_USDC.version;
  decimals: typeof TEST_USDC.decimals;
  /** EIP-712 domain, exactly as the token computes it. */
  domain: { name: string; version: string; chainId: number; verifyingContract: Address };
}

/** A running local chain with TestUSDC and Multicall3. */
export interface Devnet {
  rpcUrl: string;
  chainId: number;
  port: number;
  /** CAIP-2 id, e.g. `eip155:31337`. */
  network: `eip155:${number}`;
  chain: Chain;
  usdc: DevnetUsdc;
  multicall3: Address;
  accounts: DevnetAccounts;
  /** All of anvil's dev accounts, index 0 first. */
  allAccounts: readonly DevAccount[];
  publicClient: PublicClient<Transport, Chain>;
  testClient: TestClient<"anvil", Transport, Chain>;
  anvil: AnvilInstance;
  /** A wallet client that signs locally with `account`'s key. */
  walletClient(account: DevAccount): WalletClient<Transport, Chain, Account>;
  /** Mints `amount` atomic units of USDC to `to`; resolves with the mined transaction's hash. */
  mint(to: Address, amount: bigint): Promise<Hash>;
  balanceOf(address: Address): Promise<bigint>;
  /** Stops anvil. Safe to call more than once. */
  stop(): Promise<void>;
}

// Anvil mines each transaction immediately; viem's default 4 s polling would only add latency.
const POLLING_INTERVAL_MS = 50;

/**
 * Starts anvil, deploys TestUSDC from the deployer account, places a Multicall3-compatible
 * contract at its canonical address and mints test USDC. On any failure anvil is stopped again.
 * With default options the token lands at `0x5FbDB2315678afecb367f032d93F642f64180aa3`.
 *
 * @example
 * const devnet = await startDevnet({ fund: [{ address: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C" }] });
 * try {
 *   console.log(devnet.usdc.address, await devnet.balanceOf(devnet.accounts.payer.address));
 * } finally {
 *   await devnet.stop();
 * }
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const anvil = await startAnvil(options);
  try {
    return await setUp(anvil, options);
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

async function setUp(anvil: AnvilInstance, options: DevnetOptions): Promise<Devnet> {
  const chain = devnetChain(anvil.rpcUrl, anvil.chainId);
  const transport = http(anvil.rpcUrl);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: POLLING_INTERVAL_MS });
  const testClient = createTestClient({
    chain,
    transport,
    mode: "anvil",
    pollingInterval: POLLING_INTERVAL_MS,
  });
  const walletClient = (account: DevAccount) =>
    createWalletClient({
      chain,
      transport,
      account: privateKeyToAccount(account.privateKey),
      pollingInterval: POLLING_INTERVAL_MS,
    });
  const accounts = assignRoles(anvil.accounts);
  const deployer = walletClient(accounts.deployer);

  const [deployHash] = await Promise.all([
    deployer.deployContract({ abi: testUsdcAbi, bytecode: testUsdcBytecode }),
    testClient.setCode({ address: MULTICALL3_ADDRESS, bytecode: multicall3RuntimeBytecode }),
  ]);
  const receipt = await publicClient.waitForTransactionReceipt({ hash: deployHash });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new Error(`TestUSDC deployment failed (tx ${deployHash})`);
  }
  const usdcAddress = getAddress(receipt.contractAddress);

  const mint = async (to: Address, amount: bigint): Promise<Hash> => {
    const hash = await deployer.writeContract({
      address: usdcAddress,
      abi: testUsdcAbi,
      functionName: "mint",
      args: [to, amount],
    });
    const minted = await publicClient.waitForTransactionReceipt({ hash });
    if (minted.status !== "success") throw new Error(`mint to ${to} reverted (tx ${hash})`);
    return hash;
  };
  const { facilitator, payer, payTo, other } = accounts;
  const defaults: Funding[] =
    options.fundDefaultAccounts === false
      ? []
      : [facilitator, payer, payTo, other].map((a) => ({ address: a.address }));
  // Sequential on purpose: every mint comes from the deployer and needs the next nonce.
  for (const { address, amount } of [...defaults, ...(options.fund ?? [])]) {
    await mint(address, amount ?? DEFAULT_FUNDING_AMOUNT);
  }

  return {
    rpcUrl: anvil.rpcUrl,
    chainId: anvil.chainId,
    port: anvil.port,
    network: `eip155:${anvil.chainId}`,
    chain,
    usdc: {
      address: usdcAddress,
      ...TEST_USDC,
      domain: {
        name: TEST_USDC.name,
        version: TEST_USDC.version,
        chainId: anvil.chainId,
        verifyingContract: usdcAddress,
      },
    },
    multicall3: MULTICALL3_ADDRESS,
    accounts,
    allAccounts: anvil.accounts,
    publicClient,
    testClient,
    anvil,
    walletClient,
    mint,
    balanceOf: (address) =>
      publicClient.readContract({
        address: usdcAddress,
        abi: testUsdcAbi,
        functionName: "balanceOf",
        args: [address],
      }),
    stop: () => anvil.stop(),
  };
}
