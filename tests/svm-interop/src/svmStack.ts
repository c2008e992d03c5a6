import { createKeyPairSignerFromBytes } from "@solana/kit";
import { x402Facilitator as OfficialFacilitator } from "@x402/core/facilitator";
import { toFacilitatorSvmSigner as officialFacilitatorSigner } from "@x402/svm";
import { registerExactSvmScheme as registerOfficialSvmFacilitator } from "@x402/svm/exact/facilitator";
import { type SolanaDevnet, startSolanaDevnet } from "@x402kit/devnet/solana";
import { serveOfficialFacilitator } from "@x402kit/e2e-tests/officialFacilitatorHttp";
import {
  buildFacilitatorFromConfig,
  loadFacilitatorConfig,
  networkEnvName,
  signerEnvName,
  startFacilitatorServer,
} from "@x402kit/facilitator";

export { listen } from "@x402kit/e2e-tests/httpServer";

/** Every paid route here charges 0.01 of the devnet's USDC. */
export const PRICE = 10_000n;

/** A Solana devnet with our facilitator service (configured from the environment) and the official engine over HTTP. */
export interface SvmStack {
  devnet: SolanaDevnet;
  ours: { url: string };
  official: { engine: OfficialFacilitator; url: string };
  stop(): Promise<void>;
}

/**
 * Start the litesvm-backed devnet, our facilitator service configured the way an operator does
 * (environment variables → the `solana` plugin) with the `facilitator` account as fee payer,
 * and the official `@x402/svm` facilitator engine (fee payer `other`, so the two never share
 * a key) behind a minimal HTTP wrapper.
 */
export async function startSvmStack(): Promise<SvmStack> {
  const devnet = await startSolanaDevnet();
  const stops: Array<() => Promise<void>> = [() => devnet.stop()];
  try {
    const env = {
      [networkEnvName(devnet.network, "rpcUrl")]: devnet.rpcUrl,
      [signerEnvName("solana", "privateKeys")]: devnet.accounts.facilitator.secretKeyBase58,
    };
    const built = await buildFacilitatorFromConfig(await loadFacilitatorConfig({ env }));
    stops.push(() => built.close());
    const service = await startFacilitatorServer(built.facilitator, { port: 0 });
    stops.push(() => service.close());

    const official = new OfficialFacilitator();
    registerOfficialSvmFacilitator(official, {
      signer: officialFacilitatorSigner(await createKeyPairSignerFromBytes(devnet.accounts.other.secretKey), {
        defaultRpcUrl: devnet.rpcUrl,
      }),
      networks: devnet.network,
    });
    const officialService = await serveOfficialFacilitator(official);
    stops.push(officialService.close);
    return {
      devnet,
      ours: { url: service.url },
      official: { engine: official, url: officialService.url },
      stop: async () => {
        for (const stop of stops.reverse()) await stop().catch(() => {});
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
}
