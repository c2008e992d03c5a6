import { Keypair, Networks } from "@stellar/stellar-sdk";
import { loopbackCertificate } from "./selfSignedCertificate.js";
import { serveJsonRpc, sorobanRpcMethods } from "./sorobanRpcServer.js";
import { StellarLedger } from "./stellarLedger.js";

/**
 * Options of {@link startStellarDevnet}.
 *
 * @example
 * ```ts
 * const devnet = await startStellarDevnet({ networkPassphrase: Networks.TESTNET, ledgerCloseMs: 0 });
 * ```
 */
export interface StellarDevnetOptions {
  /** Default `Standalone Network ; February 2017` (stellar/quickstart's local network). */
  networkPassphrase?: string;
  /** Close a ledger every this many ms (0: only after each submission). Default 0. */
  ledgerCloseMs?: number;
  /** Close a ledger right after each accepted submission. Default true. */
  closeOnSubmit?: boolean;
  /** Resource fee every transfer needs, in stroops. Default 25,000. */
  minResourceFee?: bigint;
  /** First ledger sequence. Default 1000. */
  startLedger?: number;
  /** Loopback port (default: any free one). */
  port?: number;
  /**
   * Serve HTTPS with a fresh self-signed certificate for 127.0.0.1 (needs the `openssl` CLI).
   * The official `@x402/stellar` client refuses plain-HTTP RPC URLs. Default false.
   */
  tls?: boolean;
}

/**
 * A running local Stellar stand-in: a loopback Soroban JSON-RPC endpoint over a
 * {@link StellarLedger}, with helpers to fund accounts and deploy and mint tokens.
 *
 * @example
 * ```ts
 * const devnet = await startStellarDevnet();
 * const payer = devnet.createAccount();
 * const usdc = devnet.deployToken("USDC", 7);
 * devnet.mint(usdc, payer.publicKey(), 10_000_000n);
 * ```
 */
export interface StellarDevnet {
  rpcUrl: string;
  networkPassphrase: string;
  /** The PEM certificate when served over HTTPS (trust it: `https.globalAgent.options.ca = devnet.certificate`). */
  certificate?: string;
  ledger: StellarLedger;
  /** JSON-RPC method → number of calls received. */
  calls: Map<string, number>;
  /** A fresh funded G account (default 100 XLM). */
  createAccount(stroops?: bigint): Keypair;
  fundAccount(address: string, stroops?: bigint): void;
  deployToken(name: string, decimals: number): string;
  mint(contract: string, address: string, amount: bigint): void;
  balance(contract: string, address: string): bigint;
  nativeBalance(address: string): bigint;
  /** Close a ledger now (applies queued transactions). */
  closeLedger(): void;
  stop(): Promise<void>;
}

const DEFAULT_FUNDING = 1_000_000_000n; // 100 XLM

/**
 * Start the local Soroban RPC stand-in on a loopback port. It is TEST INFRASTRUCTURE, not a
 * Stellar node (no stellar-core or soroban-rpc can run here): it answers the RPC methods the
 * Stellar SDK calls in an x402 payment and runs SEP-41 `transfer`s on its small ledger, checking
 * signatures, sequence numbers, expirations, fees and replays.
 *
 * @example
 * ```ts
 * const devnet = await startStellarDevnet();
 * const rpc = new rpc.Server(devnet.rpcUrl, { allowHttp: true });
 * await devnet.stop();
 * ```
 */
export async function startStellarDevnet(options: StellarDevnetOptions = {}): Promise<StellarDevnet> {
  const networkPassphrase = options.networkPassphrase ?? Networks.STANDALONE;
  const ledger = new StellarLedger(networkPassphrase, options.minResourceFee, options.startLedger);
  const calls = new Map<string, number>();
  const closeOnSubmit = options.closeOnSubmit ?? true;
  // Submissions close a ledger on the next tick, so several sent together land in one ledger.
  let scheduled = false;
  const afterSubmit = () => {
    if (!closeOnSubmit || scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      ledger.closeLedger();
    });
  };
  const tls = options.tls ? loopbackCertificate() : undefined;
  const { server, url } = await serveJsonRpc(
    sorobanRpcMethods(ledger, afterSubmit),
    calls,
    options.port,
    tls,
  );
  const timer =
    options.ledgerCloseMs && options.ledgerCloseMs > 0
      ? setInterval(() => ledger.closeLedger(), options.ledgerCloseMs)
      : undefined;
  timer?.unref();
  return {
    rpcUrl: url,
    networkPassphrase,
    ...(tls ? { certificate: tls.cert } : {}),
    ledger,
    calls,
    createAccount(stroops = DEFAULT_FUNDING) {
      const keypair = Keypair.random();
      ledger.fundAccount(keypair.publicKey(), stroops);
      return keypair;
    },
    fundAccount: (address, stroops = DEFAULT_FUNDING) => ledger.fundAccount(address, stroops),
    deployToken: (name, decimals) => ledger.deployToken(name, decimals),
    mint: (contract, address, amount) => ledger.mint(contract, address, amount),
    balance: (contract, address) => ledger.balance(contract, address),
    nativeBalance: (address) => ledger.nativeBalance(address),
    closeLedger: () => ledger.closeLedger(),
    stop: async () => {
      if (timer) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
