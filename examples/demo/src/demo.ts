import { atomicToDecimal } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { decodePaymentRequiredHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { type Devnet, startDevnet, testUsdcAbi } from "@x402kit/devnet";
import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402kit/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import { createFacilitatorFromConfig, startFacilitatorServer } from "@x402kit/facilitator";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import express from "express";
import { type Hash, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { listen } from "./listen.js";
import type { DemoLog } from "./steps.js";

/** The price of the demo's resource: 0.01 test USDC. */
export const PRICE_ATOMIC = 10_000n;

/** What the demo proved, for tests. */
export interface DemoResult {
  transaction: Hash;
  transferred: bigint;
  payerDelta: bigint;
  payToDelta: bigint;
}

/**
 * The main job: a local chain, a facilitator service, a paid Express API and a paying
 * client; one request is paid and settled on chain. Everything started is stopped, also
 * when a step fails (`stack` is unwound in reverse order).
 */
export async function runDemo(log: DemoLog, signal?: AbortSignal): Promise<DemoResult> {
  const stack: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stack.reverse()) await stop().catch(() => {});
  };
  signal?.addEventListener("abort", () => void stopAll(), { once: true });
  try {
    log.step("Starting a local EVM chain (anvil) with a test USDC");
    const devnet = await startDevnet();
    stack.push(() => devnet.stop());
    log.fact("rpc", devnet.rpcUrl);
    log.fact("network", devnet.network);
    log.fact("USDC", `${devnet.usdc.address} (EIP-712 "${devnet.usdc.name}" v${devnet.usdc.version})`);

    log.step("Starting the facilitator service");
    const facilitator = await createFacilitatorFromConfig({
      networks: { [devnet.network]: { rpcUrl: devnet.rpcUrl, pollingIntervalMs: 50 } },
      signerKey: devnet.accounts.facilitator.privateKey,
      port: 0,
      host: "127.0.0.1",
    });
    const facilitatorService = await startFacilitatorServer(facilitator, { port: 0 });
    stack.push(() => facilitatorService.close());
    log.fact("url", facilitatorService.url);
    log.fact("gas paid by", devnet.accounts.facilitator.address);

    log.step("Starting a paid API (express + @x402kit/express)");
    const apiUrl = await startApi(devnet, facilitatorService.url, stack);
    log.fact("route", `GET ${apiUrl}/weather costs ${atomicToDecimal(PRICE_ATOMIC, 6)} USDC`);
    log.fact("pays to", devnet.accounts.payTo.address);

    log.step("Asking without paying");
    const unpaid = await fetch(`${apiUrl}/weather`);
    const required = decodePaymentRequiredHeader(unpaid.headers.get("payment-required") ?? "");
    log.fact("status", `${unpaid.status} ${unpaid.statusText}`);
    log.fact("it asks for", required.accepts);

    const { payer, payTo } = devnet.accounts;
    const before = {
      payer: await devnet.balanceOf(payer.address),
      payTo: await devnet.balanceOf(payTo.address),
    };
    log.step("Paying: the client signs an EIP-3009 authorization and retries");
    const client = new x402Client({
      spendControls: {
        allowedAssets: [
          { network: devnet.network, asset: devnet.usdc.address, maxAmountPerPayment: "100000" },
        ],
      },
    })
      .register("eip155:*", new ExactEvmScheme(privateKeyToAccount(payer.privateKey)))
      .onAfterPaymentCreation(({ paymentPayload }) => log.fact("signed payment", paymentPayload.payload));
    const paid = await wrapFetchWithPayment(fetch, client)(`${apiUrl}/weather`);
    const receipt = getPaymentReceipt(paid);
    log.fact("status", `${paid.status} ${paid.statusText}`);
    log.fact("body", await paid.json());
    log.fact("receipt", receipt);
    if (paid.status !== 200 || !receipt?.success)
      throw new Error(`payment failed: ${receipt?.errorReason ?? paid.status}`);

    log.step("Checking the chain");
    const transaction = receipt.transaction as Hash;
    const transferred = await transferredAmount(devnet, transaction, payer.address, payTo.address);
    const after = {
      payer: await devnet.balanceOf(payer.address),
      payTo: await devnet.balanceOf(payTo.address),
    };
    log.fact("transaction", transaction);
    log.fact("Transfer event", `${atomicToDecimal(transferred, 6)} USDC from payer to payTo`);
    log.fact("payer", `${atomicToDecimal(before.payer, 6)} → ${atomicToDecimal(after.payer, 6)} USDC`);
    log.fact("payTo", `${atomicToDecimal(before.payTo, 6)} → ${atomicToDecimal(after.payTo, 6)} USDC`);
    if (transferred !== PRICE_ATOMIC)
      throw new Error(`on-chain Transfer was ${transferred}, expected ${PRICE_ATOMIC}`);
    log.note("Settled: the on-chain Transfer equals the price.");
    return {
      transaction,
      transferred,
      payerDelta: before.payer - after.payer,
      payToDelta: after.payTo - before.payTo,
    };
  } finally {
    await stopAll();
  }
}

async function startApi(
  devnet: Devnet,
  facilitatorUrl: string,
  stack: Array<() => Promise<void>>,
): Promise<string> {
  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl })).register(
    "eip155:*",
    new ExactEvmServerScheme(),
  );
  const app = express();
  app.use(
    paymentMiddleware(
      {
        "GET /weather": {
          accepts: {
            scheme: "exact",
            network: devnet.network,
            payTo: devnet.accounts.payTo.address,
            price: {
              amount: PRICE_ATOMIC.toString(),
              asset: devnet.usdc.address,
              extra: { name: devnet.usdc.name, version: devnet.usdc.version },
            },
          },
          description: "Today's weather",
          mimeType: "application/json",
        },
      },
      server,
      undefined,
      undefined,
      false,
    ),
  );
  app.get("/weather", (_req, res) => {
    res.json({ city: "Lisbon", forecast: "sunny", celsius: 21 });
  });
  const api = await listen(app);
  stack.push(api.close);
  return api.url;
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
