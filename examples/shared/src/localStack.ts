import { HTTPFacilitatorClient, type PaymentOption, x402ResourceServer } from "@x402kit/core/server";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { ExactEvmScheme } from "@x402kit/evm/exact/server";
import { createFacilitatorFromConfig, startFacilitatorServer } from "@x402kit/facilitator";

/** Each paid route's price in every example: 0.01 test USDC (6 decimals). */
export const PRICE_ATOMIC = 10_000n;

/** What an example's API gets to start with: the chain, our facilitator, and ready-made payment terms. */
export interface ApiContext {
  devnet: Devnet;
  facilitatorUrl: string;
  /** A resource server on our facilitator with the EVM `exact` scheme. */
  resourceServer: x402ResourceServer;
  /** 0.01 test USDC to anvil's `payTo` account: the `accepts` of every paid route. */
  accepts: PaymentOption;
  /** The port asked for (0: any free port). */
  port: number;
}

/** A running API: where it answers, and how to stop it. */
export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

/** Starts an example's API (its framework code) on the local chain. */
export type StartApi = (context: ApiContext) => Promise<RunningApi>;

/** The running example: anvil, our facilitator service and the example's API. */
export interface LocalStack {
  devnet: Devnet;
  facilitatorUrl: string;
  apiUrl: string;
  /** USDC balances of the payer and of the API's `payTo`, atomic. */
  balances(): Promise<{ payer: bigint; payTo: bigint }>;
  stop(): Promise<void>;
}

/** How to start the stack: the example's API, on which port. */
export interface LocalStackOptions {
  startApi: StartApi;
  /** Default 0: any free port. */
  port?: number;
}

/**
 * Start anvil with a test USDC (payer funded), our facilitator service (it pays gas and settles)
 * and the example's API. `stop()` stops all three, last started first; a failed step stops what
 * had started before it throws.
 *
 * @example
 * ```ts
 * const stack = await startLocalStack({ startApi: async ({ resourceServer, accepts }) => listen(app) });
 * await fetch(`${stack.apiUrl}/weather`); // 402
 * await stack.stop();
 * ```
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
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

    const api = await options.startApi({
      devnet,
      facilitatorUrl: facilitator.url,
      resourceServer: new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitator.url })).register(
        "eip155:*",
        new ExactEvmScheme(),
      ),
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
      port: options.port ?? 0,
    });
    stops.push(() => api.stop());

    const { payer, payTo } = devnet.accounts;
    return {
      devnet,
      facilitatorUrl: facilitator.url,
      apiUrl: api.url,
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
