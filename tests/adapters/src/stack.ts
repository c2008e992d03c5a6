import { x402Facilitator } from "@x402kit/core/facilitator";
import { HTTPFacilitatorClient } from "@x402kit/core/http";
import type { RequestContext, RouteConfig, RoutesConfig } from "@x402kit/core/server";
import { x402ResourceServer } from "@x402kit/core/server";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { ExactEvmFacilitator } from "@x402kit/evm/exact/facilitator";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402kit/evm/exact/server";
import { startFacilitatorServer } from "@x402kit/facilitator";
import { type Address, erc20Abi } from "viem";
import type { ConformanceRoute, ConformanceSetup } from "./contract.js";

/** What `/paid` and most routes cost: 0.01 test USDC. */
export const PRICE = 10_000n;
/** `/weather/rome` costs double and pays another account (the dynamic route). */
export const ROME_PRICE = 20_000n;

/** Anvil, our facilitator service and a resource server wired to it, plus the suite's probes. */
export interface ConformanceStack {
  devnet: Devnet;
  server: x402ResourceServer;
  /** Handler calls since the last {@link reset}, by route, with the time of the last call. */
  hits: Record<ConformanceRoute, number>;
  hitAt: Partial<Record<ConformanceRoute, number>>;
  /** `performance.now()` when the last settlement succeeded. */
  settledAt: number | undefined;
  /** When true, the payer's USDC is moved away after verification, before settlement (a real failure). */
  drainBeforeSettle: boolean;
  /** The setup handed to a factory; `"before-handler"` prices `/stream` to settle before its handler. */
  setup(streamPhase?: "after-handler" | "before-handler"): ConformanceSetup;
  reset(): void;
  /** Give the drained USDC back to the payer. */
  refill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start anvil and our facilitator service (over HTTP, as deployed), and a resource server
 * with the exact EVM scheme pointing at it. Settlements are observed with hooks; the drain
 * hook makes a settlement fail for real: the payer's funds leave between verify and settle.
 */
export async function startConformanceStack(): Promise<ConformanceStack> {
  const devnet = await startDevnet();
  const stops: Array<() => Promise<void>> = [() => devnet.stop()];
  try {
    const engine = new x402Facilitator().register(
      devnet.network,
      new ExactEvmFacilitator({ walletClient: devnet.walletClient(devnet.accounts.facilitator) }),
    );
    const service = await startFacilitatorServer(engine, { port: 0 });
    stops.push(() => service.close());
    const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: service.url })).register(
      "eip155:*",
      new ExactEvmServerScheme(),
    );
    const { payer, deployer } = devnet.accounts;
    const payerWallet = devnet.walletClient(payer);
    const sinkWallet = devnet.walletClient(deployer);
    const transfer = async (wallet: typeof payerWallet, to: Address, amount: bigint) => {
      if (amount === 0n) return;
      const hash = await wallet.writeContract({
        address: devnet.usdc.address,
        abi: erc20Abi,
        functionName: "transfer",
        args: [to, amount],
      });
      await devnet.publicClient.waitForTransactionReceipt({ hash });
    };

    const stack: ConformanceStack = {
      devnet,
      server,
      hits: emptyHits(),
      hitAt: {},
      settledAt: undefined,
      drainBeforeSettle: false,
      setup: (streamPhase = "after-handler") => ({
        routes: conformanceRoutes(devnet, streamPhase),
        server,
        hit(route) {
          stack.hits[route] += 1;
          stack.hitAt[route] = performance.now();
        },
      }),
      reset() {
        stack.hits = emptyHits();
        stack.hitAt = {};
        stack.settledAt = undefined;
        stack.drainBeforeSettle = false;
      },
      refill: async () => transfer(sinkWallet, payer.address, await devnet.balanceOf(deployer.address)),
      stop: async () => {
        for (const stop of stops.reverse()) await stop().catch(() => {});
      },
    };
    server.onBeforeSettle(async () => {
      if (stack.drainBeforeSettle)
        await transfer(payerWallet, deployer.address, await devnet.balanceOf(payer.address));
      return undefined; // let the settlement go ahead, and fail on chain
    });
    server.onAfterSettle(() => {
      stack.settledAt = performance.now();
    });
    return stack;
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
}

function emptyHits(): Record<ConformanceRoute, number> {
  return { paid: 0, wildcard: 0, fails: 0, stream: 0, upfront: 0, dynamic: 0, free: 0 };
}

/** The suite's route table, every price on the devnet's USDC. */
export function conformanceRoutes(
  devnet: Devnet,
  streamPhase: "after-handler" | "before-handler" = "after-handler",
): RoutesConfig {
  const usdc = (amount: bigint) => ({
    amount: String(amount),
    asset: devnet.usdc.address,
    extra: { name: devnet.usdc.name, version: devnet.usdc.version },
  });
  const accepts = {
    scheme: "exact",
    network: devnet.network,
    payTo: devnet.accounts.payTo.address,
    price: usdc(PRICE),
  };
  const priced = (extra: Partial<RouteConfig> = {}): RouteConfig => ({ accepts, ...extra });
  const isRome = (ctx: RequestContext) => ctx.path.split("/")[2]?.toLowerCase() === "rome";
  return {
    "GET /paid": priced({ description: "conformance", mimeType: "application/json" }),
    "/api/*": priced(),
    "GET /fails": priced(),
    "GET /stream": priced({ settlementPhase: streamPhase }),
    "GET /upfront": priced({ settlementPhase: "before-handler" }),
    "GET /weather/:city": {
      accepts: {
        ...accepts,
        payTo: (ctx) => (isRome(ctx) ? devnet.accounts.other.address : devnet.accounts.payTo.address),
        price: (ctx) => usdc(isRome(ctx) ? ROME_PRICE : PRICE),
      },
    },
  };
}
