import { atomicToDecimal } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { decodePaymentRequiredHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { type SolanaDevnet, startSolanaDevnet } from "@x402kit/devnet/solana";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import { buildFacilitatorFromConfig, startFacilitatorServer } from "@x402kit/facilitator";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import {
  base64ToBytes,
  decodeWireTransaction,
  TOKEN_2022_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
} from "@x402kit/svm";
import { ExactSvmScheme } from "@x402kit/svm/exact/client";
import { ExactSvmScheme as ExactSvmServerScheme } from "@x402kit/svm/exact/server";
import express from "express";
import { listen } from "../listen.js";
import type { DemoLog } from "../steps.js";

/** The price of the Solana demo's resource: 0.01 test USDC (6 decimals). */
export const SOLANA_PRICE_ATOMIC = 10_000n;

/**
 * The main job on Solana: a local chain (litesvm served over loopback JSON-RPC, a stand-in for
 * a validator), the facilitator service as fee payer, a paid Express API and a paying client.
 * Fails unless the landed TransferChecked and both balance changes equal the price.
 */
export async function runSolanaDemo(
  log: DemoLog,
  signal?: AbortSignal,
): Promise<{ transaction: string; transferred: bigint; payerDelta: bigint; payToDelta: bigint }> {
  const stack: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stack.reverse()) await stop().catch(() => {});
  };
  signal?.addEventListener("abort", () => void stopAll(), { once: true });
  try {
    log.step("Starting a local Solana chain (litesvm behind a loopback JSON-RPC) with a test USDC");
    const devnet = await startSolanaDevnet();
    stack.push(() => devnet.stop());
    log.fact("rpc", devnet.rpcUrl);
    log.fact("network", `${devnet.network} (labelled as devnet)`);
    log.fact("USDC", `${devnet.usdc.address} (SPL Token, 6 decimals)`);

    log.step("Starting the facilitator service (the solana plugin; it pays the fees)");
    const built = await buildFacilitatorFromConfig({
      networks: { [devnet.network]: { rpcUrl: devnet.rpcUrl } },
      signers: { solana: { privateKeys: [devnet.accounts.facilitator.secretKeyBase58] } },
      port: 0,
      host: "127.0.0.1",
      store: "memory",
    } as never);
    stack.push(() => built.close());
    const service = await startFacilitatorServer(built.facilitator, { port: 0 });
    stack.push(() => service.close());
    log.fact("url", service.url);
    log.fact("fee payer", devnet.accounts.facilitator.address);

    log.step("Starting a paid API (express + @x402kit/express)");
    const apiUrl = await startApi(devnet, service.url, stack);
    log.fact("route", `GET ${apiUrl}/weather costs ${atomicToDecimal(SOLANA_PRICE_ATOMIC, 6)} USDC`);
    log.fact("pays to", devnet.accounts.payTo.address);

    log.step("Asking without paying");
    const unpaid = await fetch(`${apiUrl}/weather`);
    const required = decodePaymentRequiredHeader(unpaid.headers.get("payment-required") ?? "");
    log.fact("status", `${unpaid.status} ${unpaid.statusText}`);
    log.fact("it asks for", required.accepts);

    const { payer, payTo } = devnet.accounts;
    const before = {
      payer: await devnet.tokenBalance(payer.address),
      payTo: await devnet.tokenBalance(payTo.address),
    };
    log.step("Paying: the client signs a TransferChecked (fee payer: the facilitator) and retries");
    const client = new x402Client({
      spendControls: {
        allowedAssets: [
          { network: devnet.network, asset: devnet.usdc.address, maxAmountPerPayment: "100000" },
        ],
      },
    })
      .register("solana:*", new ExactSvmScheme(payer.signer, { rpcUrl: devnet.rpcUrl }))
      .onAfterPaymentCreation(({ paymentPayload }) => log.fact("signed payment", paymentPayload.payload));
    const paid = await wrapFetchWithPayment(fetch, client)(`${apiUrl}/weather`);
    const receipt = getPaymentReceipt(paid);
    log.fact("status", `${paid.status} ${paid.statusText}`);
    log.fact("body", await paid.json());
    log.fact("receipt", receipt);
    if (paid.status !== 200 || !receipt?.success)
      throw new Error(`payment failed: ${receipt?.errorReason ?? paid.status}`);

    log.step("Checking the chain");
    const transaction = receipt.transaction;
    const transferred = await landedTransfer(devnet, transaction);
    const after = {
      payer: await devnet.tokenBalance(payer.address),
      payTo: await devnet.tokenBalance(payTo.address),
    };
    log.fact("transaction", transaction);
    log.fact("TransferChecked", `${atomicToDecimal(transferred, 6)} USDC from payer to payTo`);
    log.fact("payer", `${atomicToDecimal(before.payer, 6)} → ${atomicToDecimal(after.payer, 6)} USDC`);
    log.fact("payTo", `${atomicToDecimal(before.payTo, 6)} → ${atomicToDecimal(after.payTo, 6)} USDC`);
    const payerDelta = before.payer - after.payer;
    const payToDelta = after.payTo - before.payTo;
    if (
      transferred !== SOLANA_PRICE_ATOMIC ||
      payerDelta !== SOLANA_PRICE_ATOMIC ||
      payToDelta !== SOLANA_PRICE_ATOMIC
    )
      throw new Error(
        `transfer ${transferred} / payer −${payerDelta} / payTo +${payToDelta}, expected ${SOLANA_PRICE_ATOMIC}`,
      );
    log.note("Settled: the landed TransferChecked equals the price.");
    return { transaction, transferred, payerDelta, payToDelta };
  } finally {
    await stopAll();
  }
}

/** The amount of the TransferChecked in the landed transaction (read back over RPC); throws if it failed. */
async function landedTransfer(devnet: SolanaDevnet, signature: string): Promise<bigint> {
  const response = await fetch(devnet.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "getTransaction",
      params: [signature, { encoding: "base64" }],
    }),
  });
  const { result } = (await response.json()) as {
    result: { meta: { err: unknown }; transaction: [string, string] } | null;
  };
  if (!result || result.meta.err !== null)
    throw new Error(`transaction ${signature} did not land successfully`);
  const tx = decodeWireTransaction(base64ToBytes(result.transaction[0]));
  const transfer = tx.instructions.find((ix) => {
    const program = tx.staticAccounts[ix.programIdIndex];
    return (program === TOKEN_PROGRAM_ADDRESS || program === TOKEN_2022_PROGRAM_ADDRESS) && ix.data[0] === 12;
  });
  if (!transfer) throw new Error("the landed transaction has no TransferChecked");
  return new DataView(transfer.data.buffer, transfer.data.byteOffset).getBigUint64(1, true);
}

async function startApi(
  devnet: SolanaDevnet,
  facilitatorUrl: string,
  stack: Array<() => Promise<void>>,
): Promise<string> {
  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl })).register(
    "solana:*",
    new ExactSvmServerScheme({ rpcUrl: devnet.rpcUrl }),
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
            price: { amount: SOLANA_PRICE_ATOMIC.toString(), asset: devnet.usdc.address },
          },
          description: "Today's weather",
          mimeType: "application/json",
        },
      },
      server,
    ),
  );
  app.get("/weather", (_req, res) => res.json({ city: "Lisbon", sky: "clear", paidOn: "solana" }));
  const api = await listen(app);
  stack.push(api.close);
  return api.url;
}
