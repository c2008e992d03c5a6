import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { PaymentRequirements, SupportedKind } from "@x402kit/core";
import { type SolanaDevnet, startSolanaDevnet } from "@x402kit/devnet/solana";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExactSvmScheme as ServerScheme } from "../src/exact/server/index.js";
import { requirementsOn } from "./support/devnetPayments.js";
import { startRpcProxy } from "./support/rpcProxy.js";

let devnet: SolanaDevnet;
let proxy: Awaited<ReturnType<typeof startRpcProxy>>;
beforeAll(async () => {
  devnet = await startSolanaDevnet();
  proxy = await startRpcProxy(devnet.rpcUrl);
});
afterAll(async () => {
  await proxy?.close();
  await devnet?.stop();
});

const kind = (): SupportedKind =>
  ({
    x402Version: 2,
    scheme: "exact",
    network: devnet.network,
    extra: { feePayer: devnet.accounts.facilitator.address },
  }) as SupportedKind;
const bare = (): PaymentRequirements => ({ ...requirementsOn(devnet), extra: {} });

/** A loopback port nothing listens on. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe("the server's recent-blockhash hint", () => {
  it("is left out when the RPC fails: the requirements still carry the fee payer", async () => {
    const scheme = new ServerScheme({ rpcUrl: await deadUrl() });
    const enhanced = await scheme.enhancePaymentRequirements(bare(), kind(), []);
    expect(enhanced.extra).toEqual({ feePayer: devnet.accounts.facilitator.address });
  });

  it("is read at most once a second, however many 402s and paid requests ask", async () => {
    const scheme = new ServerScheme({ rpcUrl: proxy.url });
    const before = proxy.calls("getLatestBlockhash");
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => scheme.enhancePaymentRequirements(bare(), kind(), [])),
    );
    expect(proxy.calls("getLatestBlockhash") - before).toBe(1);
    expect(answers[9]?.extra).toMatchObject({
      feePayer: devnet.accounts.facilitator.address,
      recentBlockhash: devnet.svm.latestBlockhash(),
      lastValidBlockHeight: expect.stringMatching(/^\d+$/),
    });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await scheme.enhancePaymentRequirements(bare(), kind(), []);
    expect(proxy.calls("getLatestBlockhash") - before).toBe(2);
  });
});
