import { x402Client } from "@x402kit/core/client";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentResponseHeader, HTTPFacilitatorClient } from "@x402kit/core/http";
import { x402HTTPResourceServer } from "@x402kit/core/server";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { ExactEvmScheme as ExactEvmFacilitatorScheme } from "@x402kit/evm/exact/facilitator";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402kit/evm/exact/server";
import { registerExactEvmSchemeV1 } from "@x402kit/evm/exact/v1/client";
import { ExactEvmSchemeV1 } from "@x402kit/evm/exact/v1/facilitator";
import { evmNetworkNameV1 } from "@x402kit/evm/v1";
import { paymentMiddlewareFromHTTPServer, x402ResourceServer } from "@x402kit/express";
import { startFacilitatorServer } from "@x402kit/facilitator";
import express from "express";
import { privateKeyToAccount } from "viem/accounts";
import { expect } from "vitest";
import { listen } from "./httpServer.js";

/** Base Sepolia's chain id: official v1 code knows only its own name table (`base-sepolia`). */
export const V1_CHAIN_ID = 84532;
/** The price of every v1 route: 0.01 test USDC. */
export const V1_PRICE = "10000";

type Balances = { payer: bigint; payTo: bigint };

/** A devnet under Base Sepolia's chain id with our facilitator (v2 + v1 `exact`) served over HTTP. */
export interface V1Stack {
  devnet: Devnet;
  engine: x402Facilitator;
  facilitatorUrl: string;
  /** Token balances of the payer and payTo accounts. */
  balances(): Promise<Balances>;
  stop(): Promise<void>;
}

/**
 * Start the devnet and our facilitator service with the v1 path registered as `base-sepolia`
 * (the devnet's USDC allowed explicitly: it is not Base Sepolia's known stablecoin).
 *
 * @example
 * ```ts
 * const stack = await startV1Stack(); // stack.facilitatorUrl, await stack.stop()
 * ```
 */
export async function startV1Stack(): Promise<V1Stack> {
  const devnet = await startDevnet({ chainId: V1_CHAIN_ID });
  try {
    const v2 = new ExactEvmFacilitatorScheme(
      { walletClient: devnet.walletClient(devnet.accounts.facilitator) },
      { allowedAssets: [devnet.usdc.address] },
    );
    const engine = new x402Facilitator()
      .register(v2.network, v2)
      .registerV1("base-sepolia", new ExactEvmSchemeV1(v2));
    const service = await startFacilitatorServer(engine, { port: 0 });
    return {
      devnet,
      engine,
      facilitatorUrl: service.url,
      balances: async () => ({
        payer: await devnet.balanceOf(devnet.accounts.payer.address),
        payTo: await devnet.balanceOf(devnet.accounts.payTo.address),
      }),
      stop: async () => {
        await service.close();
        await devnet.stop();
      },
    };
  } catch (error) {
    await devnet.stop();
    throw error;
  }
}

/**
 * Our express server selling `GET /paid` with the v1 opt-in (`acceptV1`), settled by the
 * stack's facilitator; answers `body` once paid.
 *
 * @example
 * ```ts
 * const server = await serveV1OptIn(stack, { ok: "v1" }); // server.url, await server.close()
 * ```
 */
export async function serveV1OptIn(stack: V1Stack, body: unknown) {
  const { devnet } = stack;
  const resourceServer = new x402ResourceServer(
    new HTTPFacilitatorClient({ url: stack.facilitatorUrl }),
  ).register("eip155:*", new ExactEvmServerScheme());
  const routes = {
    "GET /paid": {
      accepts: {
        scheme: "exact",
        network: `eip155:${V1_CHAIN_ID}` as const,
        payTo: devnet.accounts.payTo.address,
        price: {
          amount: V1_PRICE,
          asset: devnet.usdc.address,
          extra: { name: devnet.usdc.name, version: devnet.usdc.version },
        },
      },
    },
  };
  const http = new x402HTTPResourceServer(resourceServer, routes, {
    acceptV1: { networkName: evmNetworkNameV1 },
  });
  const app = express();
  app.use(paymentMiddlewareFromHTTPServer(http));
  app.get("/paid", (_req, res) => res.json(body));
  return listen(app);
}

/**
 * Our client speaking v1 `exact` for the payer account, the devnet's USDC allowed on `base-sepolia`.
 *
 * @example
 * ```ts
 * const paid = await wrapFetchWithPayment(fetch, ourV1Client(stack.devnet))(url);
 * ```
 */
export function ourV1Client(devnet: Devnet) {
  const client = new x402Client({
    spendControls: {
      allowedAssets: [
        { network: "base-sepolia", asset: devnet.usdc.address, maxAmountPerPayment: "1000000" },
      ],
    },
  });
  return registerExactEvmSchemeV1(client, { signer: privateKeyToAccount(devnet.accounts.payer.privateKey) });
}

/**
 * Assert the payer lost and payTo gained exactly the price between two balance readings.
 *
 * @example
 * ```ts
 * expectPriceMoved(before, await stack.balances());
 * ```
 */
export function expectPriceMoved(before: Balances, after: Balances): void {
  expect(before.payer - after.payer).toBe(BigInt(V1_PRICE));
  expect(after.payTo - before.payTo).toBe(BigInt(V1_PRICE));
}

/**
 * Pay one v1 request with `pay` and check it end to end: 200 with `body`, an
 * `X-PAYMENT-RESPONSE` receipt of a settlement on `base-sepolia`, the price moved on chain.
 *
 * @example
 * ```ts
 * await expectPaidV1(stack, () => wrapFetchWithPayment(fetch, ourV1Client(stack.devnet))(url), { ok: true });
 * ```
 */
export async function expectPaidV1(
  stack: V1Stack,
  pay: () => Promise<Response>,
  body: unknown,
): Promise<void> {
  const before = await stack.balances();
  const response = await pay();
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual(body);
  const receipt = decodePaymentResponseHeader(response.headers.get("x-payment-response") as string);
  expect(receipt).toMatchObject({ success: true, network: "base-sepolia" });
  expectPriceMoved(before, await stack.balances());
}
