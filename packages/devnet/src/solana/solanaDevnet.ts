import type { Server } from "node:http";
import type { Address } from "@solana/kit";
import { LiteSVM } from "litesvm";
import {
  SOLANA_DEFAULT_LAMPORTS,
  SOLANA_DEFAULT_TOKEN_AMOUNT,
  SOLANA_DEVNET_NETWORK,
  SYSTEM_PROGRAM,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
} from "./constants.js";
import { devAccount, type SolanaDevAccount } from "./keys.js";
import { SolanaRpcMethods } from "./rpcMethods.js";
import { serveSolanaRpc } from "./rpcServer.js";
import {
  associatedTokenAddress,
  decodeMint,
  decodeTokenAccount,
  encodeMint,
  encodeTokenAccount,
} from "./tokenState.js";

/** A test stablecoin mint on the local chain. */
export interface SolanaDevnetMint {
  address: Address;
  decimals: 6;
  /** SPL Token or Token-2022. */
  tokenProgram: Address;
  symbol: string;
}

/** Options of {@link startSolanaDevnet}. */
export interface SolanaDevnetOptions {
  /** Listen on `127.0.0.1:<port>`; default a free port. */
  port?: number;
  /** Extra owners to give tokens of both mints (atomic units, default 1000 USDC) and 100 SOL. */
  fund?: ReadonlyArray<{ address: string; amount?: bigint }>;
}

/** The roles every Solana devnet starts with, each holding 100 SOL and 1000 of each test USDC. */
export interface SolanaDevnetAccounts {
  facilitator: SolanaDevAccount;
  payer: SolanaDevAccount;
  payTo: SolanaDevAccount;
  other: SolanaDevAccount;
}

/** A running local Solana chain (litesvm behind a loopback JSON-RPC endpoint). */
export interface SolanaDevnet {
  rpcUrl: string;
  port: number;
  /** The CAIP-2 id it answers to: Solana devnet's (`getGenesisHash` returns devnet's hash). */
  network: typeof SOLANA_DEVNET_NETWORK;
  /** The in-process SVM (for tests that need to reach under the RPC). */
  svm: LiteSVM;
  accounts: SolanaDevnetAccounts;
  /** USDC-like SPL Token mint, 6 decimals. */
  usdc: SolanaDevnetMint;
  /** USDC-like Token-2022 mint, 6 decimals. */
  usdc2022: SolanaDevnetMint;
  /** Set `owner`'s token balance of `mint` (default {@link usdc}), creating its associated account. */
  setTokenBalance(owner: string, amount: bigint, mint?: SolanaDevnetMint): Promise<void>;
  /** `owner`'s balance of `mint` (default {@link usdc}); 0 when it has no associated account. */
  tokenBalance(owner: string, mint?: SolanaDevnetMint): Promise<bigint>;
  /** Lamports of an account (0 when absent). */
  lamports(address: string): bigint;
  /** The associated token account of `owner` for `mint` (default {@link usdc}). */
  tokenAccount(owner: string, mint?: SolanaDevnetMint): Promise<Address>;
  /** Retire the current blockhash: transactions built on it no longer land. */
  expireBlockhash(): void;
  stop(): Promise<void>;
}

/**
 * Start a local Solana chain: litesvm (the real SVM runtime, in-process) served as Solana
 * JSON-RPC on loopback. A stand-in for a validator, not one: every transaction lands at once,
 * there is no gossip, vote or fork. It carries two USDC-like mints (SPL Token and Token-2022,
 * 6 decimals) and four funded roles with deterministic PUBLIC test keys.
 *
 * @example
 * ```ts
 * const devnet = await startSolanaDevnet();
 * const rpc = createSolanaRpc(devnet.rpcUrl);
 * await rpc.getBalance(devnet.accounts.payer.address).send();
 * await devnet.stop();
 * ```
 */
export async function startSolanaDevnet(options: SolanaDevnetOptions = {}): Promise<SolanaDevnet> {
  const svm = new LiteSVM();
  const [facilitator, payer, payTo, other, authority, usdcKey, usdc2022Key] = await Promise.all(
    ["facilitator", "payer", "payTo", "other", "mint-authority", "usdc-mint", "usdc2022-mint"].map(
      devAccount,
    ),
  );
  const accounts = { facilitator, payer, payTo, other } as SolanaDevnetAccounts;
  const usdc: SolanaDevnetMint = {
    address: usdcKey!.address,
    decimals: 6,
    tokenProgram: TOKEN_PROGRAM,
    symbol: "USDC",
  };
  const usdc2022: SolanaDevnetMint = {
    address: usdc2022Key!.address,
    decimals: 6,
    tokenProgram: TOKEN_2022_PROGRAM,
    symbol: "USDC22",
  };
  for (const mint of [usdc, usdc2022])
    putAccount(
      svm,
      mint.address,
      mint.tokenProgram,
      encodeMint({ authority: authority!.address, supply: 0n, decimals: 6 }),
    );

  const setTokenBalance = async (owner: string, amount: bigint, mint: SolanaDevnetMint = usdc) => {
    const ata = await associatedTokenAddress(owner as Address, mint.address, mint.tokenProgram);
    const before = readTokenAmount(svm, ata);
    putAccount(
      svm,
      ata,
      mint.tokenProgram,
      encodeTokenAccount({ mint: mint.address, owner: owner as Address, amount }),
    );
    const mintAccount = svm.getAccount(mint.address);
    const supply = mintAccount.exists ? (decodeMint(mintAccount.data)?.supply ?? 0n) : 0n;
    putAccount(
      svm,
      mint.address,
      mint.tokenProgram,
      encodeMint({ authority: authority!.address, supply: supply - before + amount, decimals: 6 }),
    );
  };
  const owners = [
    ...Object.values(accounts).map((a) => ({
      address: a.address as string,
      amount: SOLANA_DEFAULT_TOKEN_AMOUNT,
    })),
    ...(options.fund ?? []).map((f) => ({
      address: f.address,
      amount: f.amount ?? SOLANA_DEFAULT_TOKEN_AMOUNT,
    })),
  ];
  for (const { address, amount } of owners) {
    putAccount(svm, address as Address, SYSTEM_PROGRAM, new Uint8Array(0), SOLANA_DEFAULT_LAMPORTS);
    for (const mint of [usdc, usdc2022]) await setTokenBalance(address, amount, mint);
  }

  const methods = new SolanaRpcMethods(svm);
  const { server, port } = await serveSolanaRpc(methods, options.port ?? 0);
  server.unref();
  return {
    rpcUrl: `http://127.0.0.1:${port}`,
    port,
    network: SOLANA_DEVNET_NETWORK,
    svm,
    accounts,
    usdc,
    usdc2022,
    setTokenBalance,
    async tokenBalance(owner, mint = usdc) {
      return readTokenAmount(
        svm,
        await associatedTokenAddress(owner as Address, mint.address, mint.tokenProgram),
      );
    },
    lamports: (address) => BigInt(svm.getBalance(address as Address) ?? 0n),
    tokenAccount: (owner, mint = usdc) =>
      associatedTokenAddress(owner as Address, mint.address, mint.tokenProgram),
    expireBlockhash: () => svm.expireBlockhash(),
    stop: () => closeServer(server),
  };
}

function putAccount(
  svm: LiteSVM,
  address: Address,
  owner: Address,
  data: Uint8Array,
  lamports?: bigint,
): void {
  svm.setAccount({
    address,
    data,
    executable: false,
    lamports: (lamports ?? svm.minimumBalanceForRentExemption(BigInt(data.length))) as never,
    programAddress: owner,
    space: BigInt(data.length),
  });
}

function readTokenAmount(svm: LiteSVM, ata: Address): bigint {
  const account = svm.getAccount(ata);
  return account.exists ? (decodeTokenAccount(account.data)?.amount ?? 0n) : 0n;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
