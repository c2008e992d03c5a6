import https from "node:https";
import type { AddressInfo } from "node:net";
import { type Keypair, Networks } from "@stellar/stellar-sdk";
import { type StellarDevnet, startStellarDevnet } from "@x402kit/devnet/stellar";
import { buildFacilitatorFromConfig, startFacilitatorServer } from "@x402kit/facilitator";
import { registerStellarNetwork } from "@x402kit/stellar";
import type { Express } from "express";

/** 0.01 USDC at 7 decimals. */
export const PRICE = "100000";

/** The local stand-in plus the accounts and token of a paid request. */
export interface StellarStack {
  devnet: StellarDevnet;
  network: `stellar:${string}`;
  usdc: string;
  payer: Keypair;
  payTo: Keypair;
  facilitator: Keypair;
  /** Our facilitator service (built from config through the plugin seam). */
  service: { url: string; close(): Promise<void> };
  stop(): Promise<void>;
}

/**
 * Start the local Soroban RPC stand-in (test infrastructure) with a funded payer holding 5 test
 * USDC, a payee, a facilitator account, and our facilitator service configured for it.
 * `testnet`: label it `stellar:testnet` with the testnet passphrase over HTTPS (what the official
 * `@x402/stellar` accepts); otherwise a `stellar:local` standalone network registered in our table.
 */
export async function startStellarStack({ testnet = false } = {}): Promise<StellarStack> {
  const devnet = await startStellarDevnet(
    testnet ? { networkPassphrase: Networks.TESTNET, tls: true } : { networkPassphrase: Networks.STANDALONE },
  );
  // The official SDK's HTTP client uses Node's global agent: trust the stand-in's certificate.
  if (devnet.certificate) https.globalAgent.options.ca = devnet.certificate;
  const network: `stellar:${string}` = testnet ? "stellar:testnet" : "stellar:local";
  const payer = devnet.createAccount();
  const payTo = devnet.createAccount();
  const facilitator = devnet.createAccount();
  const usdc = devnet.deployToken("USDC", 7);
  // A standalone network in our table, with the stand-in's USDC as its default asset.
  if (!testnet)
    registerStellarNetwork(network, {
      networkPassphrase: devnet.networkPassphrase,
      rpcUrl: devnet.rpcUrl,
      estimatedLedgerSeconds: 5,
      defaultAsset: { address: usdc, decimals: 7, symbol: "USDC" },
    });
  devnet.mint(usdc, payer.publicKey(), 50_000_000n);
  const built = await buildFacilitatorFromConfig({
    networks: {
      [network]: {
        rpcUrl: devnet.rpcUrl,
        ...(testnet ? {} : { networkPassphrase: devnet.networkPassphrase }),
        pollIntervalMs: 20,
      },
    },
    signers: { stellar: { secretKeys: [facilitator.secret()] } },
    store: "memory",
  } as never);
  const server = await startFacilitatorServer(built.facilitator, { port: 0 });
  const service = {
    url: server.url,
    close: async () => {
      await server.close();
      await built.close();
    },
  };
  return {
    devnet,
    network,
    usdc,
    payer,
    payTo,
    facilitator,
    service,
    stop: async () => {
      await service.close().catch(() => {});
      await devnet.stop();
    },
  };
}

/** Listen on a free loopback port. */
export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The requirements a Stellar route at {@link PRICE} produces. */
export function requirementsOf(stack: StellarStack, overrides: Record<string, unknown> = {}) {
  return {
    scheme: "exact",
    network: stack.network,
    amount: PRICE,
    asset: stack.usdc,
    payTo: stack.payTo.publicKey(),
    maxTimeoutSeconds: 60,
    extra: { areFeesSponsored: true },
    ...overrides,
  } as const;
}
