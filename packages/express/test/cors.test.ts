import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { decodePaymentRequiredHeader } from "@x402kit/core/http";
import { x402ResourceServer } from "@x402kit/core/server";
import { paymentCors, paymentMiddleware } from "@x402kit/express";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  LEDGER_NETWORK,
  LedgerClient,
  LedgerFacilitator,
  LedgerServer,
} from "../../core/test/ledgerScheme.js";
import { signFor } from "../../core/test/support/payFor.js";

// The ledger scheme is core's in-memory TEST DOUBLE; what is under test is paymentCors with the middleware.
const option = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;
const EXPOSED = "PAYMENT-REQUIRED, PAYMENT-RESPONSE, X-PAYMENT-RESPONSE";

async function listen(app: express.Express): Promise<[Server, string]> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
}

describe("paymentCors (express)", () => {
  const ledger = new LedgerFacilitator();
  let server: Server;
  let base: string;
  /** An app allowing one listed origin. */
  let listedServer: Server;
  let listedBase: string;
  let handlerRuns = 0;

  beforeAll(async () => {
    const resourceServer = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, ledger),
    ).register("test:*", new LedgerServer());
    const app = express();
    app.use(paymentCors());
    app.use(
      paymentMiddleware(
        {
          "GET /paid": { accepts: option },
          "/any": { accepts: option },
          "OPTIONS /opt": { accepts: option },
        },
        resourceServer,
      ),
    );
    const handler = (_req: express.Request, res: express.Response) => {
      handlerRuns += 1;
      res.json({ secret: "paid content" });
    };
    app.get("/paid", handler);
    app.all("/any", handler);
    app.options("/opt", handler);
    const listed = express();
    listed.use(paymentCors({ origin: ["https://a.test"] }));
    listed.use(paymentMiddleware({ "GET /paid": { accepts: option } }, resourceServer));
    listed.get("/paid", handler);
    [server, base] = await listen(app);
    [listedServer, listedBase] = await listen(listed);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => listedServer.close(() => resolve()));
  });
  beforeEach(() => {
    ledger.balances.set("alice", 1_000_000n);
    handlerRuns = 0;
  });

  const preflight = (path: string) =>
    fetch(path.startsWith("/listed") ? listedBase + path.slice(7) : base + path, {
      method: "OPTIONS",
      headers: {
        origin: "https://a.test",
        "access-control-request-method": "GET",
        "access-control-request-headers": "payment-signature",
      },
    });

  it.each(["/paid", "/any", "/opt", "/listed/paid"])(
    "answers the preflight for %s with 204, unpriced",
    async (path) => {
      const response = await preflight(path);
      expect(response.status).toBe(204);
      expect(response.headers.get("payment-required")).toBeNull();
      expect(response.headers.get("access-control-allow-headers")).toContain("PAYMENT-SIGNATURE");
      expect(response.headers.get("access-control-allow-methods")).toContain("GET");
      expect(response.headers.get("access-control-max-age")).toBe("600");
      expect(handlerRuns).toBe(0);
    },
  );

  it("still prices an OPTIONS payment route that is not a preflight", async () => {
    const response = await fetch(`${base}/opt`, { method: "OPTIONS", headers: { origin: "https://a.test" } });
    expect(response.status).toBe(402);
    expect(response.headers.get("access-control-expose-headers")).toBe(EXPOSED);
    expect(handlerRuns).toBe(0);
  });

  it("lets a browser read PAYMENT-REQUIRED on the 402 and PAYMENT-RESPONSE on the paid 200", async () => {
    const unpaid = await fetch(`${base}/paid`, { headers: { origin: "https://a.test" } });
    expect(unpaid.status).toBe(402);
    expect(unpaid.headers.get("access-control-allow-origin")).toBe("*");
    expect(unpaid.headers.get("access-control-expose-headers")).toBe(EXPOSED);
    const required = decodePaymentRequiredHeader(unpaid.headers.get("payment-required") as string);
    const paid = await fetch(`${base}/paid`, {
      headers: { origin: "https://a.test", ...(await signFor(required, new LedgerClient("alice"))) },
    });
    expect(paid.status).toBe(200);
    expect(paid.headers.get("payment-response")).toBeTruthy();
    expect(paid.headers.get("access-control-allow-origin")).toBe("*");
    expect(paid.headers.get("access-control-expose-headers")).toBe(EXPOSED);
    expect(handlerRuns).toBe(1);
  });

  it("reflects a listed origin with Vary: Origin and gives others nothing", async () => {
    const ok = await fetch(`${listedBase}/paid`, { headers: { origin: "https://a.test" } });
    expect(ok.status).toBe(402);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://a.test");
    expect(ok.headers.get("vary")).toContain("Origin");
    const other = await fetch(`${listedBase}/paid`, { headers: { origin: "https://evil.test" } });
    expect(other.status).toBe(402);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(other.headers.get("access-control-expose-headers")).toBeNull();
  });
});
