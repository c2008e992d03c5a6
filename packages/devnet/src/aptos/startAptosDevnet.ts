import type { AddressInfo } from "node:net";
import { Account } from "@aptos-labs/ts-sdk";
import { AptosLedger, type AptosLedgerOptions } from "./aptosLedger.js";
import { createAptosRestServer } from "./aptosRestServer.js";

/** Options of {@link startAptosDevnet}. */
export interface AptosDevnetOptions extends AptosLedgerOptions {
  /** Funded accounts to create (besides the fee payer). Default 3. */
  accounts?: number;
  /** Test stablecoin minted to each funded account (atomic units, 6 decimals). Default 1 000 USDC. */
  usdcPerAccount?: bigint;
  /** Gas price the node estimates. Default 100 octas. */
  gasUnitPrice?: bigint;
}

/**
 * A running local stand-in of an Aptos fullnode's REST API.
 *
 * @example
 * ```ts
 * const devnet = await startAptosDevnet();
 * devnet.ledger.balance(devnet.accounts[0].accountAddress.toStringLong(), devnet.usdc);
 * await devnet.stop();
 * ```
 */
export interface AptosDevnet {
  /** Fullnode base URL, ending in `/v1`. */
  url: string;
  chainId: number;
  /** `aptos:<chainId>`. */
  network: `aptos:${number}`;
  ledger: AptosLedger;
  /** Metadata address of the test stablecoin ("USDC", 6 decimals). */
  usdc: string;
  /** Funded with 1 APT each and {@link AptosDevnetOptions.usdcPerAccount} USDC. */
  accounts: Account[];
  /** A funded account meant to sponsor gas (10 APT, no USDC). */
  feePayer: Account;
  stop(): Promise<void>;
}

/**
 * Start the LOCAL STAND-IN of an Aptos node (no Aptos node installs here): an {@link AptosLedger}
 * behind the REST routes the SDK calls, on a free loopback port, with a test stablecoin and
 * funded accounts. Test infrastructure: it checks signatures, sequence numbers and expirations
 * like a validator would for these payments, but it is not Aptos.
 *
 * @example
 * ```ts
 * const devnet = await startAptosDevnet({ accounts: 2 });
 * const aptos = new Aptos(new AptosConfig({ network: Network.LOCAL, fullnode: devnet.url }));
 * ```
 */
export async function startAptosDevnet(options: AptosDevnetOptions = {}): Promise<AptosDevnet> {
  const ledger = new AptosLedger(options);
  const usdc = ledger.createFungibleAsset("USDC", 6);
  const feePayer = Account.generate();
  ledger.createAccount(feePayer, 10n * 10n ** 8n);
  const accounts = Array.from({ length: options.accounts ?? 3 }, () => Account.generate());
  for (const account of accounts) {
    ledger.mint(usdc, ledger.createAccount(account, 10n ** 8n), options.usdcPerAccount ?? 1_000_000_000n);
  }
  const server = createAptosRestServer(
    ledger,
    options.gasUnitPrice === undefined ? {} : { gasUnitPrice: options.gasUnitPrice },
  );
  // Longer than any client's idle keep-alive: a server closing an idle socket just as a client
  // reuses it fails that request ("fetch failed"), which a real node behind a proxy does not do.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    chainId: ledger.chainId,
    network: `aptos:${ledger.chainId}` as const,
    ledger,
    usdc,
    accounts,
    feePayer,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
