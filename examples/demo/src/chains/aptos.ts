import type { Ed25519Account } from "@aptos-labs/ts-sdk";
import { registerAptosNetwork } from "@x402kit/aptos";
import { ExactAptosScheme } from "@x402kit/aptos/exact/client";
import { ExactAptosScheme as ExactAptosServerScheme } from "@x402kit/aptos/exact/server";
import { atomicToDecimal } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { type AptosDevnet, startAptosDevnet } from "@x402kit/devnet/aptos";
import {
  type DemoResult,
  payAndCheck,
  startFacilitatorService,
  startPaidApi,
  withStack,
} from "../scenario.js";
import type { DemoLog } from "../steps.js";

/** The price of the Aptos demo's resource: $0.01 = 0.01 test USDC (6 decimals). */
export const APTOS_PRICE_ATOMIC = 10_000n;

/**
 * The main job on Aptos: a local stand-in of the Aptos node REST API (test infrastructure: no
 * Aptos node runs here) with a test USDC, the facilitator service as fee payer, a paid Express
 * API and a paying client that signs a sponsored `primary_fungible_store::transfer`. Fails
 * unless the transaction's Withdraw/Deposit events and both balance changes equal the price.
 *
 * @example
 * ```ts
 * const result = await runAptosDemo(consoleLog());
 * ```
 */
export function runAptosDemo(log: DemoLog, signal?: AbortSignal): Promise<DemoResult> {
  return withStack(signal, async (stack) => {
    log.step("Starting a local Aptos ledger (a stand-in for the node REST API on loopback) with a test USDC");
    const devnet = await startAptosDevnet({ accounts: 2 });
    stack.push(() => devnet.stop());
    registerAptosNetwork({
      network: devnet.network,
      chainId: devnet.chainId,
      nodeUrl: devnet.url,
      assets: [{ asset: devnet.usdc, decimals: 6, symbol: "USDC" }],
    });
    const [payer, payTo] = devnet.accounts as [Ed25519Account, Ed25519Account];
    const payerAddress = payer.accountAddress.toStringLong();
    const payToAddress = payTo.accountAddress.toStringLong();
    log.fact("node", devnet.url);
    log.fact("network", devnet.network);
    log.fact("USDC", `${devnet.usdc} (fungible asset, 6 decimals)`);

    log.step("Starting the facilitator service (Aptos plugin, sponsoring gas)");
    const facilitatorUrl = await startFacilitatorService(stack, {
      networks: { [devnet.network]: { nodeUrl: devnet.url } },
      signers: { aptos: { privateKeys: [(devnet.feePayer as Ed25519Account).privateKey.toString()] } },
      store: "memory",
      port: 0,
      host: "127.0.0.1",
    });
    log.fact("url", facilitatorUrl);
    log.fact("gas paid by", devnet.feePayer.accountAddress.toStringLong());

    const apiUrl = await startPaidApi(log, stack, {
      facilitatorUrl,
      networks: "aptos:*",
      serverScheme: new ExactAptosServerScheme(),
      network: devnet.network,
      payTo: payToAddress,
      price: "$0.01",
      priceText: `$0.01 (${atomicToDecimal(APTOS_PRICE_ATOMIC, 6)} USDC)`,
      weather: { report: { weather: "sunny", temperature: 21 } },
    });

    return payAndCheck(log, {
      apiUrl,
      client: new x402Client().register("aptos:*", new ExactAptosScheme(payer)),
      price: APTOS_PRICE_ATOMIC,
      decimals: 6,
      balances: () => ({
        payer: devnet.ledger.balance(payerAddress, devnet.usdc),
        payTo: devnet.ledger.balance(payToAddress, devnet.usdc),
      }),
      transferred: (hash) => transferredAmount(devnet, hash, payerAddress, payToAddress),
      text: {
        pay: "Paying: the client signs a sponsored fungible-asset transfer and retries",
        check: "Checking the ledger",
        transfer: "Withdraw/Deposit",
        settled: "Settled: the transfer equals the price; the facilitator paid the gas.",
      },
    });
  });
}

/** The amount the transaction withdrew from `from` and deposited to `to` (both events must agree). */
function transferredAmount(devnet: AptosDevnet, hash: string, from: string, to: string): bigint {
  const events = (devnet.ledger.transaction(hash)?.events ?? []) as Array<{
    type: string;
    data: Record<string, string>;
  }>;
  const find = (type: string, store: string) =>
    events.find(
      (e) =>
        e.type === `0x1::fungible_asset::${type}` &&
        e.data.store === store &&
        e.data.metadata === devnet.usdc,
    );
  const withdrawn = BigInt(find("Withdraw", from)?.data.amount ?? -1);
  const deposited = BigInt(find("Deposit", to)?.data.amount ?? -2);
  if (withdrawn !== deposited) throw new Error(`withdrawn ${withdrawn} but deposited ${deposited}`);
  return withdrawn;
}
