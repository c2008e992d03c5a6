import { HTTPFacilitatorClient, x402ResourceServer } from "@x402kit/core/server";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { ExactEvmScheme } from "@x402kit/evm/exact/server";
import { createFacilitatorFromConfig, startFacilitatorServer } from "@x402kit/facilitator";
import { createApp } from "./app.js";

/** Each route's price: 0.01 test USDC (6 decimals). */
export const PRICE_ATOMIC = 10_000n;

/** The running example: anvil, our facilitator service and the fastify API. */
export interface LocalStack {
  devnet: Devnet;
  facilitatorUrl: string;
  apiUrl: string;
  stop(): Promise<void>;
}

/**
 * Start anvil with a test USDC, our facilitator service (it pays gas and settles) and the fastify
 * API on `port` (0: any free port). `stop()` stops all three; a failed step stops what started.
 */
export async function startLocalStack(port = 0): Promise<LocalStack> {
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

    const resourceServer = new x402ResourceServer(
      new HTTPFacilitatorClient({ url: facilitator.url }),
    ).register("eip155:*", new ExactEvmScheme());
    const app = createApp(resourceServer, {
      network: devnet.network,
      payTo: devnet.accounts.payTo.address,
      price: {
        amount: PRICE_ATOMIC.toString(),
        asset: devnet.usdc.address,
        extra: { name: devnet.usdc.name, version: devnet.usdc.version },
      },
    });
    await app.listen({ port, host: "127.0.0.1" });
    stops.push(async () => {
      app.server.closeAllConnections();
      await app.close();
    });
    return {
      devnet,
      facilitatorUrl: facilitator.url,
      apiUrl: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
