import { TransactionBuilder } from "@stellar/stellar-sdk";
import { x402Client } from "@x402kit/core/client";
import { HTTPFacilitatorClient } from "@x402kit/core/http";
import { x402ResourceServer } from "@x402kit/core/server";
import { paymentMiddleware } from "@x402kit/express";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import { createEd25519Signer } from "@x402kit/stellar";
import { ExactStellarScheme as ClientScheme } from "@x402kit/stellar/exact/client";
import { ExactStellarScheme as ServerScheme } from "@x402kit/stellar/exact/server";
import express from "express";
import { afterAll, beforeAll, expect, it } from "vitest";
import { listen, PRICE, type StellarStack, startStellarStack } from "../src/stellarStack.js";

// Our client → our Express server → our facilitator service (built from config through the
// plugin seam), on a `stellar:local` standalone network added to our table, settled on the local
// Soroban RPC stand-in.
let stack: StellarStack;
let api: { url: string; close(): Promise<void> };

beforeAll(async () => {
  stack = await startStellarStack();
  const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: stack.service.url })).register(
    "stellar:*",
    new ServerScheme(),
  );
  const app = express();
  app.use(
    paymentMiddleware(
      {
        "GET /weather": {
          accepts: {
            scheme: "exact",
            network: stack.network,
            payTo: stack.payTo.publicKey(),
            price: { amount: PRICE, asset: stack.usdc },
          },
        },
      },
      server,
    ),
  );
  app.get("/weather", (_req, res) => res.json({ forecast: "sunny" }));
  api = await listen(app);
});
afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

it("pays a Stellar route end to end, balances exact to the stroop and atomic unit", async () => {
  const { devnet, usdc, payer, payTo, facilitator } = stack;
  const before = {
    payer: devnet.balance(usdc, payer.publicKey()),
    payTo: devnet.balance(usdc, payTo.publicKey()),
    payerXlm: devnet.nativeBalance(payer.publicKey()),
    facilitatorXlm: devnet.nativeBalance(facilitator.publicKey()),
  };
  const client = new x402Client().register(
    "stellar:*",
    new ClientScheme(createEd25519Signer(payer.secret(), stack.network), { url: devnet.rpcUrl }),
  );
  const paidFetch = wrapFetchWithPayment(fetch, client);

  const unpaid = await fetch(`${api.url}/weather`);
  expect(unpaid.status).toBe(402);
  const response = await paidFetch(`${api.url}/weather`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ forecast: "sunny" });
  const receipt = getPaymentReceipt(response);
  expect(receipt?.success).toBe(true);
  expect(receipt?.network).toBe("stellar:local");
  expect(receipt?.payer).toBe(payer.publicKey());
  expect(receipt?.transaction).toMatch(/^[0-9a-f]{64}$/);

  const tx = devnet.ledger.transactions.get(receipt!.transaction);
  expect(tx?.status).toBe("SUCCESS");
  // The facilitator's transaction bids exactly the client's fee (inclusion + resource fee), no more.
  const envelope = TransactionBuilder.fromXDR(tx!.envelopeXdr, devnet.networkPassphrase);
  expect(BigInt(envelope.fee)).toBe(100n + devnet.ledger.minResourceFee);
  expect("source" in envelope && envelope.source).toBe(facilitator.publicKey());
  expect(devnet.balance(usdc, payer.publicKey())).toBe(before.payer - BigInt(PRICE));
  expect(devnet.balance(usdc, payTo.publicKey())).toBe(before.payTo + BigInt(PRICE));
  // The client paid no fee; the facilitator paid exactly the inclusion fee plus the resource fee.
  expect(devnet.nativeBalance(payer.publicKey())).toBe(before.payerXlm);
  expect(devnet.nativeBalance(facilitator.publicKey())).toBe(
    before.facilitatorXlm - 100n - devnet.ledger.minResourceFee,
  );
});

it("advertises the Stellar kind with areFeesSponsored and the facilitator as signer", async () => {
  const supported = (await (await fetch(`${stack.service.url}/supported`)).json()) as {
    kinds: Array<{ network: string; extra?: Record<string, unknown> }>;
    signers: Record<string, string[]>;
  };
  expect(supported.kinds).toContainEqual(
    expect.objectContaining({ scheme: "exact", network: "stellar:local", extra: { areFeesSponsored: true } }),
  );
  expect(supported.signers["stellar:*"]).toEqual([stack.facilitator.publicKey()]);
});
