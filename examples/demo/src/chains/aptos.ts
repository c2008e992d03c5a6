import type { Ed25519Account } from "@aptos-labs/ts-sdk";
import { registerAptosNetwork } from "@x402kit/aptos";
import { ExactAptosScheme } from "@x402kit/aptos/exact/client";
import { ExactAptosScheme as ExactAptosServerScheme } from "@x402kit/aptos/exact/server";
import { atomicToDecimal } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { decodePaymentRequiredHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { type AptosDevnet, startAptosDevnet } from "@x402kit/devnet/aptos";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import { buildFacilitatorFromConfig, startFacilitatorServer } from "@x402kit/facilitator";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import express from "express";
import { listen } from "../listen.js";
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
export async function runAptosDemo(
  log: DemoLog,
  signal?: AbortSignal,
): Promise<{ transaction: string; transferred: bigint; payerDelta: bigint; payToDelta: bigint }> {
  const stack: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stack.reverse()) await stop().catch(() => {});
  };
  signal?.addEventListener("abort", () => void stopAll(), { once: true });
  try {
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
    log.fact("node", devnet.url);
    log.fact("network", devnet.network);
    log.fact("USDC", `${devnet.usdc} (fungible asset, 6 decimals)`);

    log.step("Starting the facilitator service (Aptos plugin, sponsoring gas)");
    const built = await buildFacilitatorFromConfig({
      networks: { [devnet.network]: { nodeUrl: devnet.url } },
      signers: { aptos: { privateKeys: [(devnet.feePayer as Ed25519Account).privateKey.toString()] } },
      store: "memory",
      port: 0,
      host: "127.0.0.1",
    });
    stack.push(() => built.close());
    const service = await startFacilitatorServer(built.facilitator, { port: 0 });
    stack.push(() => service.close());
    log.fact("url", service.url);
    log.fact("gas paid by", devnet.feePayer.accountAddress.toStringLong());

    log.step("Starting a paid API (express + @x402kit/express)");
    const apiUrl = await startApi(devnet, service.url, payTo.accountAddress.toStringLong(), stack);
    log.fact("route", `GET ${apiUrl}/weather costs $0.01 (${atomicToDecimal(APTOS_PRICE_ATOMIC, 6)} USDC)`);
    log.fact("pays to", payTo.accountAddress.toStringLong());

    log.step("Asking without paying");
    const unpaid = await fetch(`${apiUrl}/weather`);
    const required = decodePaymentRequiredHeader(unpaid.headers.get("payment-required") ?? "");
    log.fact("status", `${unpaid.status} ${unpaid.statusText}`);
    log.fact("it asks for", required.accepts);

    const balances = () => ({
      payer: devnet.ledger.balance(payer.accountAddress.toStringLong(), devnet.usdc),
      payTo: devnet.ledger.balance(payTo.accountAddress.toStringLong(), devnet.usdc),
    });
    const before = balances();
    log.step("Paying: the client signs a sponsored fungible-asset transfer and retries");
    const client = new x402Client()
      .register("aptos:*", new ExactAptosScheme(payer))
      .onAfterPaymentCreation(({ paymentPayload }) => log.fact("signed payment", paymentPayload.payload));
    const paid = await wrapFetchWithPayment(fetch, client)(`${apiUrl}/weather`);
    const receipt = getPaymentReceipt(paid);
    log.fact("status", `${paid.status} ${paid.statusText}`);
    log.fact("body", await paid.json());
    log.fact("receipt", receipt);
    if (paid.status !== 200 || !receipt?.success)
      throw new Error(`payment failed: ${receipt?.errorReason ?? paid.status}`);

    log.step("Checking the ledger");
    const transaction = receipt.transaction;
    const transferred = transferredAmount(
      devnet,
      transaction,
      payer.accountAddress.toStringLong(),
      payTo.accountAddress.toStringLong(),
    );
    const after = balances();
    log.fact("transaction", transaction);
    log.fact("events", `${atomicToDecimal(transferred, 6)} USDC withdrawn from payer, deposited to payTo`);
    log.fact("payer", `${atomicToDecimal(before.payer, 6)} → ${atomicToDecimal(after.payer, 6)} USDC`);
    log.fact("payTo", `${atomicToDecimal(before.payTo, 6)} → ${atomicToDecimal(after.payTo, 6)} USDC`);
    const payerDelta = before.payer - after.payer;
    const payToDelta = after.payTo - before.payTo;
    if (
      transferred !== APTOS_PRICE_ATOMIC ||
      payerDelta !== APTOS_PRICE_ATOMIC ||
      payToDelta !== APTOS_PRICE_ATOMIC
    )
      throw new Error(
        `moved ${transferred} (payer −${payerDelta}, payTo +${payToDelta}), expected ${APTOS_PRICE_ATOMIC}`,
      );
    log.note("Settled: the transfer equals the price; the facilitator paid the gas.");
    return { transaction, transferred, payerDelta, payToDelta };
  } finally {
    await stopAll();
  }
}

async function startApi(
  devnet: AptosDevnet,
  facilitatorUrl: string,
  payTo: string,
  stack: Array<() => Promise<void>>,
): Promise<string> {
  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl })).register(
    "aptos:*",
    new ExactAptosServerScheme(),
  );
  const app = express();
  app.use(
    paymentMiddleware(
      {
        "GET /weather": {
          accepts: { scheme: "exact", network: devnet.network, payTo, price: "$0.01" },
          description: "Today's weather",
          mimeType: "application/json",
        },
      },
      server,
    ),
  );
  app.get("/weather", (_req, res) => {
    res.json({ report: { weather: "sunny", temperature: 21 } });
  });
  const api = await listen(app);
  stack.push(api.close);
  return api.url;
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
