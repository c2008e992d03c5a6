import type { AddressInfo } from "node:net";
import { HTTPFacilitatorClient } from "@x402kit/core/http";
import { startDevnet } from "@x402kit/devnet";
import { ExactEvmScheme } from "@x402kit/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import { createFacilitatorFromConfig, startFacilitatorServer } from "@x402kit/facilitator";
import express from "express";

/** Each route's price: 0.01 test USDC (6 decimals). */
export const PRICE_ATOMIC = 10_000n;

/** What the client needs to know about the local chain and API. */
export interface LocalStack {
  apiUrl: string;
  network: `eip155:${number}`;
  usdc: `0x${string}`;
  /** anvil's public test key of the paying account. */
  payerKey: `0x${string}`;
  /** USDC balances of the payer and of the API's `payTo`, atomic. */
  balances(): Promise<{ payer: bigint; payTo: bigint }>;
  stop(): Promise<void>;
}

/**
 * Start what a paying client needs on this machine: anvil with a test USDC, our facilitator
 * service, and an Express API with two paid routes (`GET /weather`, `POST /orders`).
 * Everything started is stopped by `stop()`, or at once if a step fails.
 */
export async function startLocalStack(): Promise<LocalStack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    const devnet = await startDevnet();
    stops.push(() => devnet.stop());
    const facilitator = await startFacilitatorServer(
      await createFacilitatorFromConfig({
        networks: { [devnet.network]: { rpcUrl: devnet.rpcUrl, pollingIntervalMs: 50 } },
        signerKey: devnet.accounts.facilitator.privateKey,
        port: 0,
        host: "127.0.0.1",
      }),
      { port: 0 },
    );
    stops.push(() => facilitator.close());

    const accepts = {
      scheme: "exact",
      network: devnet.network,
      payTo: devnet.accounts.payTo.address,
      price: {
        amount: PRICE_ATOMIC.toString(),
        asset: devnet.usdc.address,
        extra: { name: devnet.usdc.name, version: devnet.usdc.version },
      },
    };
    const resourceServer = new x402ResourceServer(
      new HTTPFacilitatorClient({ url: facilitator.url }),
    ).register("eip155:*", new ExactEvmScheme());
    const app = express();
    app.use(
      paymentMiddleware(
        {
          "GET /weather": { accepts, description: "Today's weather", mimeType: "application/json" },
          "POST /orders": { accepts, description: "Place an order", mimeType: "application/json" },
        },
        resourceServer,
      ),
    );
    app.get("/weather", (_req, res) => res.json({ city: "Lisbon", forecast: "sunny", celsius: 21 }));
    app.post("/orders", express.json(), (req, res) => res.status(201).json({ accepted: req.body }));
    const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );

    const { payer, payTo } = devnet.accounts;
    return {
      apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      network: devnet.network,
      usdc: devnet.usdc.address,
      payerKey: payer.privateKey,
      balances: async () => ({
        payer: await devnet.balanceOf(payer.address),
        payTo: await devnet.balanceOf(payTo.address),
      }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
