import type { Network, Price, SchemeServer } from "@x402kit/core";
import { atomicToDecimal } from "@x402kit/core";
import type { x402Client } from "@x402kit/core/client";
import { decodePaymentRequiredHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import {
  buildFacilitatorFromConfig,
  type createFacilitatorFromConfig,
  type FacilitatorConfig,
  startFacilitatorServer,
} from "@x402kit/facilitator";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import express from "express";
import { listen } from "./listen.js";
import type { DemoLog } from "./steps.js";

/**
 * What a chain's scenario proved: the settling transaction, the amount it moved from payer to
 * payTo, and both balance changes (each equals the price, or the scenario failed).
 */
export interface DemoResult {
  transaction: string;
  transferred: bigint;
  payerDelta: bigint;
  payToDelta: bigint;
}

/** Stops of everything a scenario started, unwound in reverse order. */
export type Stack = Array<() => Promise<void>>;

/**
 * Run a scenario with a stack of things to stop: all of them are stopped when it ends, fails,
 * or `signal` aborts.
 *
 * @example
 * ```ts
 * return withStack(signal, async (stack) => { const devnet = await startDevnet(); stack.push(devnet.stop); … });
 * ```
 */
export async function withStack<T>(
  signal: AbortSignal | undefined,
  run: (stack: Stack) => Promise<T>,
): Promise<T> {
  const stack: Stack = [];
  const stopAll = async () => {
    for (const stop of stack.reverse()) await stop().catch(() => {});
  };
  signal?.addEventListener("abort", () => void stopAll(), { once: true });
  try {
    return await run(stack);
  } finally {
    await stopAll();
  }
}

/**
 * Build the facilitator from its config (the chain plugins it names) and serve it on a free
 * loopback port; both are stopped with the stack. Returns the service URL.
 *
 * @example
 * ```ts
 * const url = await startFacilitatorService(stack, { networks, signers, store: "memory", port: 0, host: "127.0.0.1" });
 * ```
 */
export async function startFacilitatorService(
  stack: Stack,
  config: Parameters<typeof createFacilitatorFromConfig>[0],
): Promise<string> {
  const built = await buildFacilitatorFromConfig(config as FacilitatorConfig);
  stack.push(() => built.close());
  const service = await startFacilitatorServer(built.facilitator, { port: 0 });
  stack.push(() => service.close());
  return service.url;
}

/** The paid API of a scenario: `GET /weather` priced in one scheme on one network. */
export interface PaidApi {
  facilitatorUrl: string;
  /** Network pattern the server scheme is registered for, e.g. `"solana:*"`. */
  networks: `${string}:*`;
  serverScheme: SchemeServer;
  network: Network;
  payTo: string;
  price: Price;
  /** How the route's price reads in the log, e.g. `"$0.01 (0.01 USDC)"`. */
  priceText: string;
  /** The weather the route answers with once paid. */
  weather: unknown;
  /** `false` when the facilitator's kinds need not be fetched at start-up. */
  syncFacilitatorOnStart?: boolean;
}

/**
 * Start the paid Express API (`@x402kit/express`) on a free loopback port, stopped with the
 * stack, and log its route. Returns its URL.
 *
 * @example
 * ```ts
 * const apiUrl = await startPaidApi(log, stack, { facilitatorUrl, networks: "eip155:*", serverScheme, network, payTo, price: "$0.01", priceText: "$0.01", weather: { sky: "clear" } });
 * ```
 */
export async function startPaidApi(log: DemoLog, stack: Stack, api: PaidApi): Promise<string> {
  log.step("Starting a paid API (express + @x402kit/express)");
  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: api.facilitatorUrl })).register(
    api.networks,
    api.serverScheme,
  );
  const app = express();
  const route = {
    accepts: { scheme: "exact", network: api.network, payTo: api.payTo, price: api.price },
    description: "Today's weather",
    mimeType: "application/json",
  };
  app.use(
    paymentMiddleware(
      { "GET /weather": route },
      server,
      undefined,
      undefined,
      api.syncFacilitatorOnStart ?? true,
    ),
  );
  app.get("/weather", (_req, res) => {
    res.json(api.weather);
  });
  const listening = await listen(app);
  stack.push(listening.close);
  log.fact("route", `GET ${listening.url}/weather costs ${api.priceText}`);
  log.fact("pays to", api.payTo);
  return listening.url;
}

/** The chain-specific half of paying and checking one request. */
export interface PaidRequest {
  apiUrl: string;
  /** The paying client (its `onAfterPaymentCreation` gets a logging hook). */
  client: x402Client;
  /** Atomic price of the route and the asset's decimals. */
  price: bigint;
  decimals: number;
  /** Token balances of payer and payTo, read before and after. */
  balances(): { payer: bigint; payTo: bigint } | Promise<{ payer: bigint; payTo: bigint }>;
  /** The amount the settling transaction moved from payer to payTo, read back from the chain. */
  transferred(transaction: string): bigint | Promise<bigint>;
  /** Log lines: the paying step, the checking step, the label of the transfer, the closing note. */
  text: { pay: string; check: string; transfer: string; settled: string };
}

/**
 * The common steps of every chain: ask without paying (402), pay with the client, then read
 * the chain back; fails unless the transfer and both balance changes equal the price.
 *
 * @example
 * ```ts
 * return payAndCheck(log, { apiUrl, client, price: 10_000n, decimals: 6, balances, transferred, text });
 * ```
 */
export async function payAndCheck(log: DemoLog, request: PaidRequest): Promise<DemoResult> {
  const { apiUrl, price, decimals, text } = request;
  const usdc = (amount: bigint) => `${atomicToDecimal(amount, decimals)} USDC`;
  log.step("Asking without paying");
  const unpaid = await fetch(`${apiUrl}/weather`);
  const required = decodePaymentRequiredHeader(unpaid.headers.get("payment-required") ?? "");
  log.fact("status", `${unpaid.status} ${unpaid.statusText}`);
  log.fact("it asks for", required.accepts);

  const before = await request.balances();
  log.step(text.pay);
  const client = request.client.onAfterPaymentCreation(({ paymentPayload }) =>
    log.fact("signed payment", paymentPayload.payload),
  );
  const paid = await wrapFetchWithPayment(fetch, client)(`${apiUrl}/weather`);
  const receipt = getPaymentReceipt(paid);
  log.fact("status", `${paid.status} ${paid.statusText}`);
  log.fact("body", await paid.json());
  log.fact("receipt", receipt);
  if (paid.status !== 200 || !receipt?.success)
    throw new Error(`payment failed: ${receipt?.errorReason ?? paid.status}`);

  log.step(text.check);
  const transaction = receipt.transaction;
  const transferred = await request.transferred(transaction);
  const after = await request.balances();
  log.fact("transaction", transaction);
  log.fact(text.transfer, `${usdc(transferred)} from payer to payTo`);
  log.fact("payer", `${atomicToDecimal(before.payer, decimals)} → ${usdc(after.payer)}`);
  log.fact("payTo", `${atomicToDecimal(before.payTo, decimals)} → ${usdc(after.payTo)}`);
  const payerDelta = before.payer - after.payer;
  const payToDelta = after.payTo - before.payTo;
  if (transferred !== price || payerDelta !== price || payToDelta !== price)
    throw new Error(
      `transfer ${transferred} (payer −${payerDelta}, payTo +${payToDelta}), expected ${price}`,
    );
  log.note(text.settled);
  return { transaction, transferred, payerDelta, payToDelta };
}
