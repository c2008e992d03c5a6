import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Devnet, startDevnet, testUsdcAbi } from "@x402kit/devnet";
import { startFacilitatorServer } from "@x402kit/facilitator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adaptSnippet, readmeBlock, runSnippet } from "../src/readmeSnippets.js";
import { closeServer } from "../src/stack.js";

/**
 * The drop-in promise, tested literally: the server, client and facilitator code of the
 * official packages' READMEs, with `@x402/` replaced by `@x402kit/` and only the reader's
 * placeholders filled in, runs on anvil against our packages and moves exact amounts.
 *
 * The chain runs as Base (eip155:8453) with our TestUSDC code placed at Base's USDC address
 * (its EIP-712 domain is "USD Coin" / "2", as on Base), so `price: "$0.10"` resolves to it.
 */
const BASE = "eip155:8453";
const BASE_USDC = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913" as const;
const PRICE = 100_000n; // $0.10 at 6 decimals

let devnet: Devnet;
const stops: Array<() => Promise<void>> = [];
const shared = globalThis as unknown as { __readme: Record<string, unknown> };

async function balance(address: `0x${string}`): Promise<bigint> {
  return devnet.publicClient.readContract({
    address: BASE_USDC,
    abi: testUsdcAbi,
    functionName: "balanceOf",
    args: [address],
  }) as Promise<bigint>;
}

beforeAll(async () => {
  devnet = await startDevnet({ chainId: 8453 });
  stops.push(() => devnet.stop());
  const code = await devnet.publicClient.getCode({ address: devnet.usdc.address });
  await devnet.testClient.setCode({ address: BASE_USDC, bytecode: code! });
  const owner = devnet.walletClient(devnet.accounts.facilitator);
  const hash = await owner.writeContract({
    address: BASE_USDC,
    abi: testUsdcAbi,
    functionName: "mint",
    args: [devnet.accounts.payer.address, 10_000_000n],
  });
  await devnet.publicClient.waitForTransactionReceipt({ hash });
  shared.__readme = {};
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => {});
});

describe("official README code runs on x402kit after the scope rename", () => {
  let facilitatorUrl: string;
  let serverUrl: string;
  const payTo = () => devnet.accounts.payTo.address;

  it("facilitator (@x402/core README): registerExactEvmScheme, verify, settle", async () => {
    const { x402Client } = await import("@x402kit/core/client");
    const { ExactEvmScheme } = await import("@x402kit/evm/exact/client");
    const { toFacilitatorEvmSigner } = await import("@x402kit/evm");
    const { privateKeyToAccount } = await import("viem/accounts");
    const { publicActions } = await import("viem");
    const paymentRequirements = {
      scheme: "exact",
      network: BASE,
      amount: PRICE.toString(),
      asset: BASE_USDC,
      payTo: payTo(),
      maxTimeoutSeconds: 300,
      extra: { name: "USD Coin", version: "2" },
    };
    const payer = new x402Client().register(
      "eip155:*",
      new ExactEvmScheme(privateKeyToAccount(devnet.accounts.payer.privateKey)),
    );
    shared.__readme.paymentRequirements = paymentRequirements;
    shared.__readme.paymentPayload = await payer.createPaymentPayload({
      x402Version: 2,
      resource: { url: "http://localhost/readme", description: "", mimeType: "" },
      accepts: [paymentRequirements],
    });
    const wallet = devnet.walletClient(devnet.accounts.facilitator).extend(publicActions);
    shared.__readme.evmSigner = toFacilitatorEvmSigner(wallet as never);

    const before = await balance(payTo());
    const snippet = adaptSnippet(readmeBlock("@x402/core", 2), [["eip155:84532", BASE]]);
    const module = await runSnippet<{ facilitator: unknown }>(
      "facilitator",
      "const { evmSigner, paymentPayload, paymentRequirements } = (globalThis as any).__readme;",
      `${snippet}\nexport { facilitator };`,
    );
    expect((await balance(payTo())) - before).toBe(PRICE);
    const service = await startFacilitatorServer(module.facilitator as never, { port: 0 });
    stops.push(() => service.close());
    facilitatorUrl = service.url;
  });

  it("server (@x402/express README quick start) answers 402 with the price in Base USDC", async () => {
    const snippet = adaptSnippet(readmeBlock("@x402/express", 0), [
      ["https://x402.org/facilitator", facilitatorUrl],
      ["eip155:84532", BASE],
      ["0xYourAddress", payTo()],
      ["app.listen(3000);", "export const server = app.listen(0, '127.0.0.1');"],
    ]);
    const { server } = await runSnippet<{ server: Server }>("server", "", snippet);
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once("listening", resolve)));
    stops.push(() => closeServer(server));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const unpaid = await fetch(`${serverUrl}/protected-route`);
    expect(unpaid.status).toBe(402);
    const required = JSON.parse(atob(unpaid.headers.get("payment-required")!));
    expect(required.accepts[0]).toMatchObject({ network: BASE, asset: BASE_USDC, amount: PRICE.toString() });
  });

  it("client (@x402/core README): x402HTTPClient by hand pays the server", async () => {
    const { privateKeyToAccount } = await import("viem/accounts");
    shared.__readme.evmSigner = privateKeyToAccount(devnet.accounts.payer.privateKey);
    const before = await balance(payTo());
    const snippet = adaptSnippet(readmeBlock("@x402/core", 0), [
      [/https:\/\/api\.example\.com\/protected/g, `${serverUrl}/protected-route`],
    ]);
    await runSnippet(
      "client",
      "const { evmSigner } = (globalThis as any).__readme;",
      `${snippet}\nexport const done = true;`,
    );
    expect((await balance(payTo())) - before).toBe(PRICE);
  });

  it("client (@x402/fetch README quick start): wrapFetchWithPaymentFromConfig pays the server", async () => {
    const before = await balance(payTo());
    const snippet = adaptSnippet(readmeBlock("@x402/fetch", 0), [
      ["0xYourPrivateKey", devnet.accounts.payer.privateKey],
      ["https://api.example.com/paid-endpoint", `${serverUrl}/protected-route`],
    ]);
    const { data } = await runSnippet<{ data: unknown }>("fetch", "", `${snippet}\nexport { data };`);
    expect(data).toEqual({ message: "This content is behind a paywall" });
    expect((await balance(payTo())) - before).toBe(PRICE);
  });
});
