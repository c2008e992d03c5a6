import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402kit/core/http";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import { ExactEvmFacilitator } from "@x402kit/evm/exact/facilitator";
import { startFacilitatorServer } from "@x402kit/facilitator";
import { wrapFetchWithPayment } from "@x402kit/fetch";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, type WorkerBundle } from "../src/bundleWorker.js";
import { type RunningWorker, runWorker } from "../src/runWorker.js";

const PRICE = 10_000n;
const PAID_BODY = "edge-paid-content";

// The whole paid path with the resource server inside workerd: anvil, our facilitator service
// (reached by the worker over loopback HTTP), our fetch client with the EVM exact client paying.
describe("a hono app with @x402kit/hono inside workerd", () => {
  let devnet: Devnet;
  let facilitator: { url: string; close(): Promise<void> };
  let bundle: WorkerBundle;
  let worker: RunningWorker;
  let pay: typeof fetch;

  beforeAll(async () => {
    devnet = await startDevnet();
    const engine = new x402Facilitator().register(
      devnet.network,
      new ExactEvmFacilitator({ walletClient: devnet.walletClient(devnet.accounts.facilitator) }),
    );
    facilitator = await startFacilitatorServer(engine, { port: 0 });
    bundle = await bundleWorker({
      facilitatorUrl: facilitator.url,
      network: devnet.network,
      payTo: devnet.accounts.payTo.address,
      asset: devnet.usdc.address,
      assetExtra: { name: devnet.usdc.name, version: devnet.usdc.version },
      amount: String(PRICE),
    });
    worker = await runWorker(bundle.code);
    const client = new x402Client({
      spendControls: {
        allowedAssets: [
          { network: devnet.network, asset: devnet.usdc.address, maxAmountPerPayment: "1000000" },
        ],
      },
    }).register("eip155:*", new ExactEvmScheme(privateKeyToAccount(devnet.accounts.payer.privateKey)));
    pay = wrapFetchWithPayment(fetch, client);
  });
  afterAll(async () => {
    await worker?.stop();
    await facilitator?.close();
    await devnet?.stop();
  });

  const balances = async () => ({
    payer: await devnet.balanceOf(devnet.accounts.payer.address),
    payTo: await devnet.balanceOf(devnet.accounts.payTo.address),
  });

  it("bundles core, the EVM server scheme, hono and the adapter with no Node built-in", () => {
    for (const part of [
      "packages/hono/src/index.ts",
      "packages/core/src/server/x402HTTPResourceServer.ts",
      "packages/evm/src/exact/server/exactEvmScheme.ts",
    ])
      expect(bundle.inputs.some((input) => input.endsWith(part))).toBe(true);
    expect(bundle.inputs.some((input) => /node_modules\/(\.pnpm\/)?hono@/.test(input))).toBe(true);
  });

  // The first request is a free one: start-up work tied to it would die with it in workerd.
  it("runs in workerd: a free route answers from the Cloudflare-Workers runtime", async () => {
    const response = await fetch(`${worker.url}/free`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("free on Cloudflare-Workers");
  });

  it("answers an unpaid request with 402 and PAYMENT-REQUIRED", async () => {
    const response = await fetch(`${worker.url}/paid`);
    expect(response.status).toBe(402);
    expect(response.headers.get("access-control-expose-headers")).toContain("PAYMENT-REQUIRED");
    const required = decodePaymentRequiredHeader(response.headers.get("payment-required") as string);
    expect(required.resource.url).toBe(`${worker.url}/paid`);
    expect(required.accepts).toEqual([
      expect.objectContaining({
        scheme: "exact",
        network: devnet.network,
        amount: String(PRICE),
        asset: devnet.usdc.address,
        payTo: devnet.accounts.payTo.address,
      }),
    ]);
  });

  it("our fetch client pays it: 200, the content, a receipt, and exactly the price moved on chain", async () => {
    const before = await balances();
    const response = await pay(`${worker.url}/paid`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ content: PAID_BODY, runtime: "Cloudflare-Workers" });
    const receipt = decodePaymentResponseHeader(response.headers.get("payment-response") as string);
    expect(receipt).toMatchObject({ success: true, network: devnet.network });
    const onChain = await devnet.publicClient.getTransactionReceipt({
      hash: receipt.transaction as `0x${string}`,
    });
    expect(onChain.status).toBe("success");
    const after = await balances();
    expect([after.payer - before.payer, after.payTo - before.payTo]).toEqual([-PRICE, PRICE]);
  });

  it("holds a streamed answer until settled, then delivers all of it with the receipt", async () => {
    const before = await balances();
    const response = await pay(`${worker.url}/stream`);
    expect(response.status).toBe(200);
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string).success).toBe(
      true,
    );
    expect(await response.text()).toBe(`data: one\n\ndata: two\n\ndata: ${PAID_BODY}\n\n`);
    expect((await balances()).payTo - before.payTo).toBe(PRICE);
  });

  it("settles a before-handler route up front", async () => {
    const response = await pay(`${worker.url}/upfront`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ content: PAID_BODY });
    expect(decodePaymentResponseHeader(response.headers.get("payment-response") as string).success).toBe(
      true,
    );
  });

  it("answers a CORS preflight itself, unpriced", async () => {
    const response = await fetch(`${worker.url}/paid`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("payment-required")).toBeNull();
  });

  it("a fresh worker whose first requests are concurrent paid ones initialises once for all", async () => {
    const fresh = await runWorker(bundle.code);
    try {
      const responses = await Promise.all([1, 2, 3].map(() => fetch(`${fresh.url}/paid`)));
      expect(responses.map((r) => r.status)).toEqual([402, 402, 402]);
      expect(fresh.output()).not.toMatch(/x402kit|error|promise|disallowed/i);
    } finally {
      await fresh.stop();
    }
  });

  it("did no I/O at start-up (workerd forbids it) and logged no error", () => {
    expect(worker.output()).not.toMatch(/x402kit|error|promise|disallowed/i);
  });
});
