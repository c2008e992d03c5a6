import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { x402Client as OfficialClient } from "@x402/core/client";
import {
  ExactEvmScheme as OfficialExactClient,
  registerExactEvmScheme as registerOfficialEvmClient,
} from "@x402/evm/exact/client";
import { wrapFetchWithPayment as officialWrapFetch } from "@x402/fetch";
import type { PaymentPayload, PaymentRequirements, SettleResponse } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { HTTPFacilitatorClient } from "@x402kit/core/http";
import { type DevAccount, type Devnet, startDevnet } from "@x402kit/devnet";
import { ExactEvmScheme as OurExactEvmClient } from "@x402kit/evm/exact/client";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402kit/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import { buildFacilitatorFromConfig, startFacilitatorServer } from "@x402kit/facilitator";
import { wrapFetchWithPayment } from "@x402kit/fetch";
import express from "express";
import { parseAbiItem } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, PRICE } from "../src/stack.js";

/**
 * The whole path under load: 50 concurrent paid requests (half from our client, half from the
 * official `@x402/fetch` 2.27 client) to our express server, settled by our facilitator service
 * built from a config with two signer keys and a SQLite store, on anvil.
 */
let devnet: Devnet;
let dir: string;
let keys: DevAccount[];
let url: string;
let facilitatorUrl: string;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  devnet = await startDevnet();
  stops.push(() => devnet.stop());
  dir = await mkdtemp(join(tmpdir(), "x402-e2e-load-"));
  stops.push(() => rm(dir, { recursive: true, force: true }));
  keys = [devnet.accounts.facilitator, devnet.allAccounts[5] as DevAccount];
  const built = await buildFacilitatorFromConfig({
    networks: { [devnet.network]: { rpcUrl: devnet.rpcUrl, pollingIntervalMs: 50 } },
    signers: { eip155: { privateKeys: keys.map((k) => k.privateKey) } },
    store: `sqlite:${join(dir, "facilitator.db")}`,
    port: 0,
    host: "127.0.0.1",
  });
  stops.push(() => built.close());
  const facilitator = await startFacilitatorServer(built.facilitator, { port: 0 });
  stops.push(() => facilitator.close());
  facilitatorUrl = facilitator.url;

  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitator.url })).register(
    "eip155:*",
    new ExactEvmServerScheme(),
  );
  const app = express();
  const price = {
    amount: PRICE,
    asset: devnet.usdc.address,
    extra: { name: devnet.usdc.name, version: devnet.usdc.version },
  };
  app.use(
    paymentMiddleware(
      {
        "GET /paid": {
          accepts: { scheme: "exact", network: devnet.network, payTo: devnet.accounts.payTo.address, price },
        },
      },
      server,
    ),
  );
  app.get("/paid", (_req, res) => {
    res.json({ content: "paid" });
  });
  const listening = await listen(app);
  stops.push(() => listening.close());
  url = listening.url;
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => {});
});

const spendControls = () => ({
  allowedAssets: [{ network: devnet.network, asset: devnet.usdc.address, maxAmountPerPayment: "1000000" }],
});

function ourFetch() {
  const client = new x402Client({ spendControls: spendControls() }).register(
    "eip155:*",
    new OurExactEvmClient(privateKeyToAccount(devnet.accounts.payer.privateKey)),
  );
  return wrapFetchWithPayment(fetch, client);
}

function officialFetch() {
  const client = new OfficialClient();
  registerOfficialEvmClient(client, { signer: privateKeyToAccount(devnet.accounts.other.privateKey) });
  client.setSpendControls(spendControls());
  return officialWrapFetch(fetch, client);
}

describe("our facilitator service with two signer keys, behind our express server", () => {
  it("settles 50 concurrent paid requests from our and the official client: 50 Transfers, both keys used", async () => {
    const payTo = devnet.accounts.payTo.address;
    const fromBlock = (await devnet.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    const nonces = () =>
      Promise.all(keys.map((k) => devnet.publicClient.getTransactionCount({ address: k.address })));
    const before = await nonces();
    const payBefore = await devnet.balanceOf(payTo);
    const [ours, official] = [ourFetch(), officialFetch()];
    const started = performance.now();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? official : ours)(`${url}/paid`)),
    );
    const seconds = (performance.now() - started) / 1000;
    const bodies = await Promise.all(responses.map((r) => r.text()));

    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(bodies)).toEqual(new Set([JSON.stringify({ content: "paid" })]));
    const transfers = await devnet.publicClient.getLogs({
      address: devnet.usdc.address,
      event: parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)"),
      args: { to: payTo },
      fromBlock,
      toBlock: "latest",
    });
    expect(transfers).toHaveLength(50);
    expect((await devnet.balanceOf(payTo)) - payBefore).toBe(50n * BigInt(PRICE));
    const perKey = (await nonces()).map((n, i) => n - before[i]!);
    expect(perKey.reduce((a, b) => a + b)).toBe(50);
    expect(perKey.every((n) => n > 0)).toBe(true);
    console.info(`e2e: 50 paid requests in ${seconds.toFixed(2)} s, settled by keys ${perKey.join(" + ")}`);
  });
});

describe("a Permit2 payload replayed under load", () => {
  it("settles once when sent 20 times concurrently amid 20 EIP-3009 payments, over both keys", async () => {
    const pusd = devnet.tokens.permit2Usd.address;
    const owner = devnet.allAccounts[6] as DevAccount;
    await devnet.mint(owner.address, 1_000_000n, pusd);
    await devnet.approvePermit2(owner, pusd);
    const permit2Requirements: PaymentRequirements = {
      scheme: "exact",
      network: devnet.network,
      amount: PRICE,
      asset: pusd,
      payTo: devnet.accounts.payTo.address,
      maxTimeoutSeconds: 300,
      extra: { assetTransferMethod: "permit2" },
    };
    const signed = await new OfficialExactClient(privateKeyToAccount(owner.privateKey)).createPaymentPayload(
      2,
      permit2Requirements as never,
    );
    const permit2Payment = {
      x402Version: 2,
      accepted: permit2Requirements,
      payload: signed.payload,
      resource: { url: `${url}/paid` },
    } as PaymentPayload;
    const before = await devnet.balanceOf(owner.address, pusd);

    const ours = ourFetch();
    const settles = Array.from({ length: 20 }, () => settleAt(permit2Payment, permit2Requirements));
    const paid = Array.from({ length: 20 }, () => ours(`${url}/paid`));
    const [answers, responses] = await Promise.all([Promise.all(settles), Promise.all(paid)]);

    expect(answers.filter((a) => a.success)).toHaveLength(1);
    expect(new Set(answers.filter((a) => !a.success).map((a) => a.errorReason))).toEqual(
      new Set(["duplicate_settlement"]),
    );
    expect(before - (await devnet.balanceOf(owner.address, pusd))).toBe(BigInt(PRICE));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
  });
});

async function settleAt(paymentPayload: PaymentPayload, paymentRequirements: PaymentRequirements) {
  const response = await fetch(`${facilitatorUrl}/settle`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ x402Version: 2, paymentPayload, paymentRequirements }),
  });
  return (await response.json()) as SettleResponse;
}
