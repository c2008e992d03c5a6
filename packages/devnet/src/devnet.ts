import {
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createTestClient,
  createWalletClient,
  getAddress,
  http,
  type PublicClient,
  type TestClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { assignRoles, type DevAccount, type DevnetAccounts } from "./accounts.js";
import { type AnvilInstance, type AnvilOptions, startAnvil } from "./anvil.js";
import { DEVNET_CONTRACTS, type DevnetContracts, placeCanonicalContracts } from "./canonicalContracts.js";
import { devnetChain } from "./chain.js";
import { MULTICALL3_ADDRESS, PERMIT2_USD, TEST_USDC, USD18 } from "./constants.js";
import { testUsdcBytecode } from "./contracts/testUsdcArtifact.js";
import { createDeployerSender } from "./deployerSender.js";
import { type DevnetHelpers, devnetHelpers } from "./devnetHelpers.js";
import {
  type DevnetTokenKey,
  type DevnetTokens,
  deployExtraTokens,
  describeToken,
  thousandTokens,
} from "./tokens.js";

/** A token grant made at startup. */
export interface Funding {
  address: Address;
  /** Atomic units of the token. Default 1000 whole tokens. */
  amount?: bigint;
  /** Which token (default `"usdc"`). */
  token?: DevnetTokenKey;
}

/** Options for {@link startDevnet}: anvil's options plus funding. */
export interface DevnetOptions extends AnvilOptions {
  /** Mint 1000 of each token to the facilitator, payer, payTo and other accounts (1..4). Default true. */
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

/** A running local chain with its tokens, Permit2, the x402 proxies, a smart-wallet factory and Multicall3. */
export interface Devnet extends DevnetHelpers {
  rpcUrl: string;
  chainId: number;
  port: number;
  /** CAIP-2 id, e.g. `eip155:31337`. */
  network: `eip155:${number}`;
  chain: Chain;
  usdc: DevnetUsdc;
  /** TestUSDC (again), the Permit2-only `permit2Usd` and the 18-decimals `usd18`. */
  tokens: DevnetTokens;
  multicall3: Address;
  /** Addresses of Permit2, the x402 proxies, the smart-wallet factory and Multicall3. */
  contracts: DevnetContracts;
  accounts: DevnetAccounts;
  /** All of anvil's dev accounts, index 0 first. */
  allAccounts: readonly DevAccount[];
  publicClient: PublicClient<Transport, Chain>;
  testClient: TestClient<"anvil", Transport, Chain>;
  anvil: AnvilInstance;
  /** A wallet client that signs locally with `account`'s key. */
  walletClient(account: DevAccount): WalletClient<Transport, Chain, Account>;
  /** Stops anvil. Safe to call more than once. */
  stop(): Promise<void>;
}

// Anvil mines each transaction immediately; viem's default 4 s polling would only add latency.
const POLLING_INTERVAL_MS = 50;

/**
 * Starts anvil, deploys TestUSDC, the Permit2-only token and the 18-decimals token from the
 * deployer account, places Multicall3, our Permit2-compatible contract, both x402 Permit2 proxies
 * and the smart-wallet factory at their fixed addresses, and mints 1000 of each token to accounts
 * 1..4. On any failure anvil is stopped again. With default options TestUSDC lands at
 * `0x5FbDB2315678afecb367f032d93F642f64180aa3`.
 *
 * @example
 * const devnet = await startDevnet({ fund: [{ address: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C" }] });
 * try {
 *   console.log(devnet.usdc.address, await devnet.balanceOf(devnet.accounts.payer.address));
 *   console.log(await devnet.balanceOf(devnet.accounts.payer.address, devnet.tokens.permit2Usd.address));
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
  const sender = await createDeployerSender(publicClient, accounts.deployer);

  // Everything is queued without waiting in between (nonces are counted locally), then confirmed.
  const [usdcDeploy] = await Promise.all([
    sender.send({ data: testUsdcBytecode, gas: 5_000_000n }),
    placeCanonicalContracts(testClient),
  ]);
  const extra = await deployExtraTokens(sender);
  if (!usdcDeploy.contractAddress) throw new Error("TestUSDC deployment has no address");
  const usdcAddress = getAddress(usdcDeploy.contractAddress);
  const tokens: DevnetTokens = {
    usdc: describeToken(usdcAddress, TEST_USDC, anvil.chainId, true),
    permit2Usd: describeToken(extra.permit2Usd, PERMIT2_USD, anvil.chainId, false),
    usd18: describeToken(extra.usd18, USD18, anvil.chainId, true),
  };
  const { helpers, queueMint } = devnetHelpers({ publicClient, walletClient, sender, tokens, accounts });

  const { facilitator, payer, payTo, other } = accounts;
  const defaults: Funding[] =
    options.fundDefaultAccounts === false
      ? []
      : [facilitator, payer, payTo, other].flatMap((a) =>
          (["usdc", "permit2Usd", "usd18"] as const).map((token) => ({ address: a.address, token })),
        );
  const mints = [];
  for (const { address, amount, token = "usdc" } of [...defaults, ...(options.fund ?? [])]) {
    const { decimals, address: tokenAddress } = tokens[token];
    mints.push(await queueMint(tokenAddress, address, amount ?? thousandTokens(decimals)));
  }
  await Promise.all(
    [usdcDeploy, ...extra.sent, ...mints].map((tx) => sender.confirm(tx.hash, "devnet startup transaction")),
  );

  return {
    rpcUrl: anvil.rpcUrl,
    chainId: anvil.chainId,
    port: anvil.port,
    network: `eip155:${anvil.chainId}`,
    chain,
    usdc: {
      address: usdcAddress,
      ...TEST_USDC,
      domain: tokens.usdc.domain,
    },
    tokens,
    multicall3: MULTICALL3_ADDRESS,
    contracts: DEVNET_CONTRACTS,
    accounts,
    allAccounts: anvil.accounts,
    publicClient,
    testClient,
    anvil,
    walletClient,
    ...helpers,
    stop: () => anvil.stop(),
  };
}
