import { x402Facilitator as OfficialFacilitator } from "@x402/core/facilitator";
import { registerExactEvmScheme as registerOfficialEvmFacilitator } from "@x402/evm/exact/facilitator";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { ExactEvmFacilitator } from "@x402kit/evm/exact/facilitator";
import { startFacilitatorServer } from "@x402kit/facilitator";
import { privateKeyToAccount } from "viem/accounts";
import { serveOfficialFacilitator } from "./officialFacilitatorHttp.js";
import { officialEvmFacilitatorSigner } from "./officialSigner.js";

export { closeServer, listen } from "./httpServer.js";

/** The price every interop route charges: 0.01 test USDC. */
export const PRICE = "10000";

/** A devnet with both facilitators (ours and the official engine) served over HTTP. */
export interface InteropStack {
  devnet: Devnet;
  ours: { engine: x402Facilitator; url: string };
  official: { engine: OfficialFacilitator; url: string };
  /** The route price as an asset amount on the devnet's USDC. */
  price: { amount: string; asset: `0x${string}`; extra: { name: string; version: string } };
  payerAccount: ReturnType<typeof privateKeyToAccount>;
  stop(): Promise<void>;
}

/**
 * Start anvil (with Multicall3 placed by the devnet, which the official facilitator needs for
 * its failure diagnosis) plus our facilitator service and the official facilitator engine.
 * Our facilitator pays gas from the `facilitator` account, the official one from `other`,
 * so their nonces never collide.
 */
export async function startInteropStack(): Promise<InteropStack> {
  const devnet = await startDevnet();
  const stops: Array<() => Promise<void>> = [() => devnet.stop()];
  try {
    const engine = new x402Facilitator().register(
      devnet.network,
      new ExactEvmFacilitator({ walletClient: devnet.walletClient(devnet.accounts.facilitator) }),
    );
    const ourService = await startFacilitatorServer(engine, { port: 0 });
    stops.push(() => ourService.close());

    const official = new OfficialFacilitator();
    registerOfficialEvmFacilitator(official, {
      signer: officialEvmFacilitatorSigner(devnet, devnet.accounts.other),
      networks: devnet.network,
    });
    const officialService = await serveOfficialFacilitator(official);
    stops.push(officialService.close);

    return {
      devnet,
      ours: { engine, url: ourService.url },
      official: { engine: official, url: officialService.url },
      price: {
        amount: PRICE,
        asset: devnet.usdc.address,
        extra: { name: devnet.usdc.name, version: devnet.usdc.version },
      },
      payerAccount: privateKeyToAccount(devnet.accounts.payer.privateKey),
      stop: async () => {
        for (const stop of stops.reverse()) await stop().catch(() => {});
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
}

/** The route every e2e server sells: `GET /paid` for {@link PRICE} to the devnet's `payTo`. */
export function paidRoute(stack: InteropStack, extra: { description?: string; mimeType?: string } = {}) {
  return {
    "GET /paid": {
      accepts: {
        scheme: "exact",
        network: stack.devnet.network,
        payTo: stack.devnet.accounts.payTo.address,
        price: stack.price,
      },
      ...extra,
    },
  };
}
