import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentResponseHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { ExactEvmScheme as ExactEvmClientScheme } from "@x402kit/evm/exact/client";
import { ExactEvmScheme as ExactEvmFacilitatorScheme } from "@x402kit/evm/exact/facilitator";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402kit/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import { startFacilitatorServer } from "@x402kit/facilitator";
import { wrapFetchWithPayment } from "@x402kit/fetch";
import express from "express";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen } from "../src/stack.js";

/**
 * A chain slower than the facilitator's receipt wait: the transfer is broadcast, the server is
 * told `settlement_pending` (twice: it retries settle once) and answers 402. The payer's money
 * is moving, so the client must send the SAME payment again, and that retry must get the
 * content — not a refusal because the nonce is now used, and not a second signature.
 */
describe("a settlement still pending when the server answers", () => {
  let devnet: Devnet;
  const stops: Array<() => Promise<void>> = [];
  let url: string;
  let handlerRuns = 0;

  beforeAll(async () => {
    devnet = await startDevnet();
    stops.push(() => devnet.stop());
    const engine = new x402Facilitator().register(
      devnet.network,
      new ExactEvmFacilitatorScheme(
        { walletClient: devnet.walletClient(devnet.accounts.facilitator), publicClient: devnet.publicClient },
        { receiptTimeoutMs: 300 },
      ),
    );
    const facilitator = await startFacilitatorServer(engine, { port: 0 });
    stops.push(() => facilitator.close());
    const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitator.url })).register(
      "eip155:*",
      new ExactEvmServerScheme(),
    );
    const app = express();
    const price = {
      amount: "10000",
      asset: devnet.usdc.address,
      extra: { name: devnet.usdc.name, version: devnet.usdc.version },
    };
    app.use(
      paymentMiddleware(
        {
          "GET /paid": {
            accepts: {
              scheme: "exact",
              network: devnet.network,
              payTo: devnet.accounts.payTo.address,
              price,
            },
          },
        },
        server,
      ),
    );
    app.get("/paid", (_req, res) => {
      handlerRuns += 1;
      res.json({ content: "paid" });
    });
    const listening = await listen(app);
    stops.push(() => listening.close());
    url = listening.url;
  });
  afterAll(async () => {
    await devnet?.testClient.setAutomine(true).catch(() => {});
    for (const stop of stops.reverse()) await stop().catch(() => {});
  });

  it("re-sends the same payment, which settles once and delivers the content once", async () => {
    const client = new x402Client({
      spendControls: {
        allowedAssets: [
          { network: devnet.network, asset: devnet.usdc.address, maxAmountPerPayment: "1000000" },
        ],
      },
    }).register("eip155:*", new ExactEvmClientScheme(privateKeyToAccount(devnet.accounts.payer.privateKey)));
    const { payer, payTo } = devnet.accounts;
    const before = {
      payer: await devnet.balanceOf(payer.address),
      payTo: await devnet.balanceOf(payTo.address),
    };
    const sentSignatures: string[] = [];
    const pendingAnswers: string[] = [];

    await devnet.testClient.setAutomine(false);
    // The transport the client uses: it records what is sent, and mines the pending transfer
    // as soon as the server has answered `settlement_pending` (so the re-send finds it mined).
    const observingFetch: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const signature = request.headers.get("payment-signature");
      if (signature) sentSignatures.push(signature);
      const response = await fetch(request);
      const receipt = response.headers.get("payment-response");
      if (response.status === 402 && receipt) {
        const settle = decodePaymentResponseHeader(receipt);
        if (settle.errorReason === "settlement_pending") {
          pendingAnswers.push(settle.transaction);
          await devnet.testClient.mine({ blocks: 1 });
        }
      }
      return response;
    };
    const pay = wrapFetchWithPayment(observingFetch, client, { settlementPendingDelayMs: 50 });
    const response = await pay(`${url}/paid`);

    expect(pendingAnswers).toHaveLength(1);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ content: "paid" });
    const receipt = decodePaymentResponseHeader(response.headers.get("payment-response")!);
    expect(receipt).toMatchObject({ success: true, transaction: pendingAnswers[0] });
    // One signature, sent twice; one transfer of exactly the price.
    expect(sentSignatures).toHaveLength(2);
    expect(new Set(sentSignatures).size).toBe(1);
    expect(before.payer - (await devnet.balanceOf(payer.address))).toBe(10000n);
    expect((await devnet.balanceOf(payTo.address)) - before.payTo).toBe(10000n);
    // The handler ran for both sends; only the second's output was delivered.
    expect(handlerRuns).toBe(2);
  });
});
