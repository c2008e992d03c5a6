import { atomicToDecimal } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { type Devnet, startDevnet, testUsdcAbi } from "@x402kit/devnet";
import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402kit/evm/exact/server";
import { type Hash, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  type DemoResult,
  payAndCheck,
  startFacilitatorService,
  startPaidApi,
  withStack,
} from "./scenario.js";
import type { DemoLog } from "./steps.js";

export type { DemoResult } from "./scenario.js";

/** The price of the demo's resource: 0.01 test USDC. */
export const PRICE_ATOMIC = 10_000n;

/**
 * The main job: a local chain, a facilitator service, a paid Express API and a paying
 * client; one request is paid and settled on chain. Everything started is stopped, also
 * when a step fails.
 */
export function runDemo(log: DemoLog, signal?: AbortSignal): Promise<DemoResult> {
  return withStack(signal, async (stack) => {
    log.step("Starting a local EVM chain (anvil) with a test USDC");
    const devnet = await startDevnet();
    stack.push(() => devnet.stop());
    log.fact("rpc", devnet.rpcUrl);
    log.fact("network", devnet.network);
    log.fact("USDC", `${devnet.usdc.address} (EIP-712 "${devnet.usdc.name}" v${devnet.usdc.version})`);

    log.step("Starting the facilitator service");
    const facilitatorUrl = await startFacilitatorService(stack, {
      networks: { [devnet.network]: { rpcUrl: devnet.rpcUrl, pollingIntervalMs: 50 } },
      signerKey: devnet.accounts.facilitator.privateKey,
      port: 0,
      host: "127.0.0.1",
    });
    log.fact("url", facilitatorUrl);
    log.fact("gas paid by", devnet.accounts.facilitator.address);

    const { payer, payTo } = devnet.accounts;
    const apiUrl = await startPaidApi(log, stack, {
      facilitatorUrl,
      networks: "eip155:*",
      serverScheme: new ExactEvmServerScheme(),
      network: devnet.network,
      payTo: payTo.address,
      price: {
        amount: PRICE_ATOMIC.toString(),
        asset: devnet.usdc.address,
        extra: { name: devnet.usdc.name, version: devnet.usdc.version },
      },
      priceText: `${atomicToDecimal(PRICE_ATOMIC, 6)} USDC`,
      weather: { city: "Lisbon", forecast: "sunny", celsius: 21 },
      syncFacilitatorOnStart: false,
    });

    const client = new x402Client({
      spendControls: {
        allowedAssets: [
          { network: devnet.network, asset: devnet.usdc.address, maxAmountPerPayment: "100000" },
        ],
      },
    }).register("eip155:*", new ExactEvmScheme(privateKeyToAccount(payer.privateKey)));
    return payAndCheck(log, {
      apiUrl,
      client,
      price: PRICE_ATOMIC,
      decimals: 6,
      balances: async () => ({
        payer: await devnet.balanceOf(payer.address),
        payTo: await devnet.balanceOf(payTo.address),
      }),
      transferred: (hash) => transferredAmount(devnet, hash as Hash, payer.address, payTo.address),
      text: {
        pay: "Paying: the client signs an EIP-3009 authorization and retries",
        check: "Checking the chain",
        transfer: "Transfer event",
        settled: "Settled: the on-chain Transfer equals the price.",
      },
    });
  });
}

/** Sum of the token's Transfer(from → to) events in a transaction. */
async function transferredAmount(devnet: Devnet, hash: Hash, from: string, to: string): Promise<bigint> {
  const receipt = await devnet.publicClient.getTransactionReceipt({ hash });
  const transfers = parseEventLogs({ abi: testUsdcAbi, logs: receipt.logs, eventName: "Transfer" }) as Array<{
    address: string;
    args: { from: string; to: string; value: bigint };
  }>;
  return transfers
    .filter(
      (t) =>
        t.address.toLowerCase() === devnet.usdc.address.toLowerCase() &&
        t.args.from.toLowerCase() === from.toLowerCase() &&
        t.args.to.toLowerCase() === to.toLowerCase(),
    )
    .reduce((sum, t) => sum + t.args.value, 0n);
}
