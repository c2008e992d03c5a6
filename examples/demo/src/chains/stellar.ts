import { Address, scValToNative, xdr } from "@stellar/stellar-sdk";
import { atomicToDecimal } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { decodePaymentRequiredHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { type StellarDevnet, startStellarDevnet } from "@x402kit/devnet/stellar";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import { buildFacilitatorFromConfig, startFacilitatorServer } from "@x402kit/facilitator";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import { createEd25519Signer, registerStellarNetwork } from "@x402kit/stellar";
import { ExactStellarScheme } from "@x402kit/stellar/exact/client";
import { ExactStellarScheme as ExactStellarServerScheme } from "@x402kit/stellar/exact/server";
import express from "express";
import { listen } from "../listen.js";
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
export async function runStellarDemo(
  log: DemoLog,
  signal?: AbortSignal,
): Promise<{ transaction: string; transferred: bigint; payerDelta: bigint; payToDelta: bigint }> {
  const stack: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stack.reverse()) await stop().catch(() => {});
  };
  signal?.addEventListener("abort", () => void stopAll(), { once: true });
  try {
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
    const built = await buildFacilitatorFromConfig({
      networks: {
        [NETWORK]: { rpcUrl: devnet.rpcUrl, networkPassphrase: devnet.networkPassphrase, pollIntervalMs: 50 },
      },
      signers: { stellar: { secretKeys: [facilitatorAccount.secret()] } },
      store: "memory",
      port: 0,
      host: "127.0.0.1",
    });
    stack.push(() => built.close());
    const service = await startFacilitatorServer(built.facilitator, { port: 0 });
    stack.push(() => service.close());
    log.fact("url", service.url);
    log.fact("fees paid by", facilitatorAccount.publicKey());

    log.step("Starting a paid API (express + @x402kit/express)");
    const apiUrl = await startApi(service.url, payTo.publicKey(), stack);
    log.fact("route", `GET ${apiUrl}/weather costs $0.01 (${atomicToDecimal(STELLAR_PRICE_ATOMIC, 7)} USDC)`);
    log.fact("pays to", payTo.publicKey());

    log.step("Asking without paying");
    const unpaid = await fetch(`${apiUrl}/weather`);
    const required = decodePaymentRequiredHeader(unpaid.headers.get("payment-required") ?? "");
    log.fact("status", `${unpaid.status} ${unpaid.statusText}`);
    log.fact("it asks for", required.accepts);

    const before = {
      payer: devnet.balance(usdc, payer.publicKey()),
      payTo: devnet.balance(usdc, payTo.publicKey()),
    };
    log.step("Paying: the client signs its SEP-41 transfer authorization and retries");
    const client = new x402Client()
      .register("stellar:*", new ExactStellarScheme(createEd25519Signer(payer.secret(), NETWORK)))
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
    const transferred = transferredAmount(devnet, transaction, usdc, payer.publicKey(), payTo.publicKey());
    const after = {
      payer: devnet.balance(usdc, payer.publicKey()),
      payTo: devnet.balance(usdc, payTo.publicKey()),
    };
    log.fact("transaction", transaction);
    log.fact("transfer event", `${atomicToDecimal(transferred, 7)} USDC from payer to payTo`);
    log.fact("payer", `${atomicToDecimal(before.payer, 7)} → ${atomicToDecimal(after.payer, 7)} USDC`);
    log.fact("payTo", `${atomicToDecimal(before.payTo, 7)} → ${atomicToDecimal(after.payTo, 7)} USDC`);
    const payerDelta = before.payer - after.payer;
    const payToDelta = after.payTo - before.payTo;
    if (
      transferred !== STELLAR_PRICE_ATOMIC ||
      payerDelta !== STELLAR_PRICE_ATOMIC ||
      payToDelta !== STELLAR_PRICE_ATOMIC
    )
      throw new Error(
        `transfer was ${transferred} (payer −${payerDelta}, payTo +${payToDelta}), expected ${STELLAR_PRICE_ATOMIC}`,
      );
    log.note("Settled: the transfer equals the price; the payer paid no fee.");
    return { transaction, transferred, payerDelta, payToDelta };
  } finally {
    await stopAll();
  }
}

async function startApi(
  facilitatorUrl: string,
  payTo: string,
  stack: Array<() => Promise<void>>,
): Promise<string> {
  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl })).register(
    "stellar:*",
    new ExactStellarServerScheme(),
  );
  const app = express();
  app.use(
    paymentMiddleware(
      {
        "GET /weather": {
          accepts: { scheme: "exact", network: NETWORK, payTo, price: "$0.01" },
          description: "Today's weather",
          mimeType: "application/json",
        },
      },
      server,
    ),
  );
  app.get("/weather", (_req, res) => res.json({ forecast: "sunny", chain: "stellar" }));
  const api = await listen(app);
  stack.push(api.close);
  return api.url;
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
