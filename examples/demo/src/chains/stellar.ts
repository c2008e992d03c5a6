import { Address, scValToNative, xdr } from "@stellar/stellar-sdk";
import { atomicToDecimal } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { type StellarDevnet, startStellarDevnet } from "@x402kit/devnet/stellar";
import { createEd25519Signer, registerStellarNetwork } from "@x402kit/stellar";
import { ExactStellarScheme } from "@x402kit/stellar/exact/client";
import { ExactStellarScheme as ExactStellarServerScheme } from "@x402kit/stellar/exact/server";
import {
  type DemoResult,
  payAndCheck,
  startFacilitatorService,
  startPaidApi,
  withStack,
} from "../scenario.js";
import type { DemoLog } from "../steps.js";

/** The price of the Stellar demo's resource: 0.01 test USDC (7 decimals). */
export const STELLAR_PRICE_ATOMIC = 100_000n;
/** The demo's network: a standalone network added to x402kit's Stellar table. */
const NETWORK = "stellar:local";

/**
 * The main job on Stellar: a local Soroban RPC stand-in (test infrastructure: no stellar-core
 * runs here) with a test USDC, the facilitator service as fee source, a paid Express API and a
 * paying client that signs only its SEP-41 authorization entry. Fails unless the `transfer`
 * event of the landed transaction and both balance changes equal the price.
 *
 * @example
 * ```ts
 * const result = await runStellarDemo(consoleLog());
 * ```
 */
export function runStellarDemo(log: DemoLog, signal?: AbortSignal): Promise<DemoResult> {
  return withStack(signal, async (stack) => {
    log.step("Starting a local Stellar ledger (a stand-in for Soroban RPC on loopback) with a test USDC");
    const devnet = await startStellarDevnet();
    stack.push(() => devnet.stop());
    const payer = devnet.createAccount();
    const payTo = devnet.createAccount();
    const facilitatorAccount = devnet.createAccount();
    const usdc = devnet.deployToken("USDC", 7);
    devnet.mint(usdc, payer.publicKey(), 10_000_000n);
    registerStellarNetwork(NETWORK, {
      networkPassphrase: devnet.networkPassphrase,
      rpcUrl: devnet.rpcUrl,
      estimatedLedgerSeconds: 5,
      defaultAsset: { address: usdc, decimals: 7, symbol: "USDC" },
    });
    log.fact("rpc", devnet.rpcUrl);
    log.fact("network", `${NETWORK} ("${devnet.networkPassphrase}")`);
    log.fact("USDC", `${usdc} (SEP-41, 7 decimals)`);

    log.step("Starting the facilitator service (Stellar plugin)");
    const facilitatorUrl = await startFacilitatorService(stack, {
      networks: {
        [NETWORK]: { rpcUrl: devnet.rpcUrl, networkPassphrase: devnet.networkPassphrase, pollIntervalMs: 50 },
      },
      signers: { stellar: { secretKeys: [facilitatorAccount.secret()] } },
      store: "memory",
      port: 0,
      host: "127.0.0.1",
    });
    log.fact("url", facilitatorUrl);
    log.fact("fees paid by", facilitatorAccount.publicKey());

    const apiUrl = await startPaidApi(log, stack, {
      facilitatorUrl,
      networks: "stellar:*",
      serverScheme: new ExactStellarServerScheme(),
      network: NETWORK,
      payTo: payTo.publicKey(),
      price: "$0.01",
      priceText: `$0.01 (${atomicToDecimal(STELLAR_PRICE_ATOMIC, 7)} USDC)`,
      weather: { forecast: "sunny", chain: "stellar" },
    });

    return payAndCheck(log, {
      apiUrl,
      client: new x402Client().register(
        "stellar:*",
        new ExactStellarScheme(createEd25519Signer(payer.secret(), NETWORK)),
      ),
      price: STELLAR_PRICE_ATOMIC,
      decimals: 7,
      balances: () => ({
        payer: devnet.balance(usdc, payer.publicKey()),
        payTo: devnet.balance(usdc, payTo.publicKey()),
      }),
      transferred: (hash) => transferredAmount(devnet, hash, usdc, payer.publicKey(), payTo.publicKey()),
      text: {
        pay: "Paying: the client signs its SEP-41 transfer authorization and retries",
        check: "Checking the ledger",
        transfer: "transfer event",
        settled: "Settled: the transfer equals the price; the payer paid no fee.",
      },
    });
  });
}

/** The amount of the asset's `transfer(from, to, amount)` event in the landed transaction, 0 if none. */
function transferredAmount(
  devnet: StellarDevnet,
  hash: string,
  asset: string,
  from: string,
  to: string,
): bigint {
  const record = devnet.ledger.transactions.get(hash);
  if (record?.status !== "SUCCESS") return 0n;
  const meta = xdr.TransactionMeta.fromXDR(record.resultMetaXdr, "base64");
  for (const event of meta.v3().sorobanMeta()?.events() ?? []) {
    const contractId = event.contractId();
    const [name, eventFrom, eventTo] = event.body().v0().topics();
    if (
      contractId &&
      Address.contract(contractId as unknown as Buffer).toString() === asset &&
      name?.sym().toString() === "transfer" &&
      eventFrom &&
      eventTo &&
      scValToNative(eventFrom) === from &&
      scValToNative(eventTo) === to
    )
      return scValToNative(event.body().v0().data()) as bigint;
  }
  return 0n;
}
