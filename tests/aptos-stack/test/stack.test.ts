import type { AddressInfo } from "node:net";
import { type Account, AccountAddress, type Ed25519Account } from "@aptos-labs/ts-sdk";
import { registerAptosNetwork } from "@x402kit/aptos";
import { ExactAptosScheme } from "@x402kit/aptos/exact/client";
import { ExactAptosScheme as ExactAptosServerScheme } from "@x402kit/aptos/exact/server";
import { x402Client } from "@x402kit/core/client";
import { decodePaymentRequiredHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { type AptosDevnet, startAptosDevnet } from "@x402kit/devnet/aptos";
import { paymentMiddleware, x402ResourceServer } from "@x402kit/express";
import {
  createFacilitatorFromConfig,
  loadFacilitatorConfig,
  startFacilitatorServer,
} from "@x402kit/facilitator";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let devnet: AptosDevnet;
let apiUrl: string;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  devnet = await startAptosDevnet({ accounts: 2 });
  stops.push(() => devnet.stop());
  registerDevnet(devnet);
  // The facilitator service as deployed: configured from the environment, the aptos plugin found by itself.
  const config = await loadFacilitatorConfig({
    env: {
      [`X402_NETWORKS_APTOS_${devnet.chainId}_NODE_URL`]: devnet.url,
      X402_SIGNERS_APTOS_PRIVATE_KEYS: (devnet.feePayer as Ed25519Account).privateKey.toString(),
      X402_FACILITATOR_PORT: "0",
    },
  });
  const facilitator = await createFacilitatorFromConfig(config);
  const service = await startFacilitatorServer(facilitator, { port: 0 });
  stops.push(() => service.close());

  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: service.url })).register(
    "aptos:*",
    new ExactAptosServerScheme(),
  );
  const app = express();
  app.use(
    paymentMiddleware(
      {
        "GET /weather": {
          accepts: {
            scheme: "exact",
            network: devnet.network,
            payTo: addressOf(payTo()),
            price: "$0.01",
          },
          description: "Today's weather",
        },
      },
      server,
    ),
  );
  app.get("/weather", (_req, res) => {
    res.json({ weather: "sunny" });
  });
  const listening = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => listening.once("listening", resolve));
  apiUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        listening.closeAllConnections();
        listening.close(() => resolve());
      }),
  );
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
});

const payer = () => devnet.accounts[0] as Account;
const payTo = () => devnet.accounts[1] as Account;

describe("our client → express → our facilitator service, on the local Aptos stand-in", () => {
  it("asks for 0.01 USDC sponsored by the service's fee payer", async () => {
    const unpaid = await fetch(`${apiUrl}/weather`);
    expect(unpaid.status).toBe(402);
    const required = decodePaymentRequiredHeader(unpaid.headers.get("payment-required") ?? "");
    expect(required.accepts).toEqual([
      expect.objectContaining({
        scheme: "exact",
        network: devnet.network,
        amount: "10000",
        asset: devnet.usdc,
        payTo: addressOf(payTo()),
        extra: { feePayer: addressOf(devnet.feePayer) },
      }),
    ]);
  });

  it("pays, settles on chain and moves exactly the price; the sponsor pays the gas; a replayed header is refused", async () => {
    const balances = () => ({
      payer: devnet.ledger.balance(addressOf(payer()), devnet.usdc),
      payTo: devnet.ledger.balance(addressOf(payTo()), devnet.usdc),
      payerApt: devnet.ledger.balance(addressOf(payer())),
      sponsorApt: devnet.ledger.balance(addressOf(devnet.feePayer)),
    });
    const before = balances();
    let header = "";
    const client = new x402Client()
      .register("aptos:*", new ExactAptosScheme(payer()))
      .onAfterPaymentCreation(({ paymentPayload }) => {
        header = Buffer.from(JSON.stringify(paymentPayload)).toString("base64");
      });
    const paid = await wrapFetchWithPayment(fetch, client)(`${apiUrl}/weather`);
    expect(paid.status).toBe(200);
    expect(await paid.json()).toEqual({ weather: "sunny" });
    const receipt = getPaymentReceipt(paid);
    expect(receipt).toMatchObject({ success: true, network: devnet.network, payer: addressOf(payer()) });
    const committed = devnet.ledger.transaction(String(receipt?.transaction));
    expect(committed).toMatchObject({ success: true, sender: addressOf(payer()) });
    const after = balances();
    expect(before.payer - after.payer).toBe(10_000n);
    expect(after.payTo - before.payTo).toBe(10_000n);
    expect(after.payerApt).toBe(before.payerApt);
    const gas = BigInt(String(committed?.gas_used)) * BigInt(String(committed?.gas_unit_price));
    expect(before.sponsorApt - after.sponsorApt).toBe(gas);

    const replay = await fetch(`${apiUrl}/weather`, { headers: { "PAYMENT-SIGNATURE": header } });
    expect(replay.status).toBe(402);
    expect(decodePaymentRequiredHeader(replay.headers.get("payment-required") ?? "").error).toBe(
      "duplicate_settlement",
    );
    expect(balances()).toEqual(after);
  });

  it("20 concurrent requests carrying one payment: one 200, one settlement", async () => {
    const required = decodePaymentRequiredHeader(
      (await fetch(`${apiUrl}/weather`)).headers.get("payment-required") ?? "",
    );
    const accepted = required.accepts[0] as (typeof required.accepts)[0];
    const { payload } = await new ExactAptosScheme(payer()).createPaymentPayload(2, accepted);
    const header = Buffer.from(
      JSON.stringify({ x402Version: 2, resource: required.resource, accepted, payload }),
    ).toString("base64");
    const before = devnet.ledger.balance(addressOf(payTo()), devnet.usdc);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${apiUrl}/weather`, { headers: { "PAYMENT-SIGNATURE": header } }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 402)).toHaveLength(19);
    await Promise.all(answers.map((a) => a.arrayBuffer()));
    expect(devnet.ledger.balance(addressOf(payTo()), devnet.usdc)).toBe(before + 10_000n);
  });
});

/** The stand-in's network (node URL, test USDC) in the network table. */
function registerDevnet(devnet: AptosDevnet): void {
  const assets = [{ asset: devnet.usdc, decimals: 6, symbol: "USDC" }];
  registerAptosNetwork({ network: devnet.network, chainId: devnet.chainId, nodeUrl: devnet.url, assets });
}

function addressOf(account: Account): string {
  return AccountAddress.from(account.accountAddress).toStringLong();
}
