import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createKeyPairSignerFromBytes } from "@solana/kit";
import { x402Facilitator as OfficialFacilitator } from "@x402/core/facilitator";
import { toFacilitatorSvmSigner as officialFacilitatorSigner } from "@x402/svm";
import { registerExactSvmScheme as registerOfficialSvmFacilitator } from "@x402/svm/exact/facilitator";
import { type SolanaDevnet, startSolanaDevnet } from "@x402kit/devnet/solana";
import {
  buildFacilitatorFromConfig,
  loadFacilitatorConfig,
  networkEnvName,
  signerEnvName,
  startFacilitatorServer,
} from "@x402kit/facilitator";
import type { Express } from "express";

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

/** The official facilitator is an engine only: the smallest HTTP server speaking the facilitator API around it. */
export async function serveOfficialFacilitator(facilitator: OfficialFacilitator) {
  const server = createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    };
    try {
      if (req.url === "/supported") return send(200, facilitator.getSupported());
      const body = JSON.parse(raw);
      if (req.url === "/verify")
        return send(200, await facilitator.verify(body.paymentPayload, body.paymentRequirements));
      if (req.url === "/settle")
        return send(200, await facilitator.settle(body.paymentPayload, body.paymentRequirements));
      send(404, { error: "not found" });
    } catch (error) {
      send(500, { error: String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeServer(server),
  };
}

/** Listen on a free loopback port. */
export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
