import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentRequiredHeader } from "@x402kit/core/http";
import { x402ResourceServer } from "@x402kit/core/server";
import type { Hono } from "hono";
import { expect } from "vitest";
import {
  LEDGER_NETWORK,
  type LedgerClient,
  type LedgerFacilitator,
  LedgerServer,
} from "../../../core/test/ledgerScheme.js";
import { signFor } from "../../../core/test/support/payFor.js";

/** A hono app served by @hono/node-server on a free loopback port. */
export interface Served {
  base: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(app: Hono): Promise<Served> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return {
    base: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A resource server over the ledger TEST DOUBLE (core's in-memory scheme). */
export function ledgerResourceServer(ledger: LedgerFacilitator, scheme = "ledger"): x402ResourceServer {
  return new x402ResourceServer(new x402Facilitator().register(LEDGER_NETWORK, ledger)).register(
    "test:*",
    new LedgerServer(scheme),
  );
}

/** Ask for `path` unpaid (expecting 402), then sign for what it asks. */
export async function paymentHeaders(
  base: string,
  path: string,
  client: LedgerClient,
): Promise<Record<string, string>> {
  const unpaid = await fetch(base + path);
  expect(unpaid.status).toBe(402);
  return signFor(decodePaymentRequiredHeader(unpaid.headers.get("payment-required") as string), client);
}
