import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { x402ResourceServer } from "@x402kit/core/server";
import { paymentMiddleware } from "@x402kit/express";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerFacilitator, LedgerServer } from "../../core/test/ledgerScheme.js";
import { BYPASS_REQUEST_LINES, PAID_BODY } from "../../core/test/support/bypassSpellings.js";
import { rawRequest } from "../../core/test/support/rawHttp.js";

// The ledger scheme is core's in-memory TEST DOUBLE; what is under test is route matching.
const accepts = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;

describe("express: no spelling of a paid path reaches the handler unpaid", () => {
  let server: Server;
  let port: number;
  let handlerRuns = 0;

  beforeAll(async () => {
    const resourceServer = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, new LedgerFacilitator()),
    ).register("test:*", new LedgerServer());
    const app = express();
    app.use(paymentMiddleware({ "GET /paid": { accepts }, "/api/*": { accepts } }, resourceServer));
    const paid = (_req: express.Request, res: express.Response) => {
      handlerRuns += 1;
      res.type("text/plain").send(PAID_BODY);
    };
    app.get("/paid", paid);
    app.all("/api/{*rest}", paid);
    app.get("/free", (_req, res) => res.send("free"));
    await new Promise<void>((resolve) => {
      server = app.listen(0, "127.0.0.1", () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(BYPASS_REQUEST_LINES)("%s", async (line) => {
    const before = handlerRuns;
    const response = await rawRequest(port, line);
    expect(response.status).not.toBe(0);
    expect(response.body).not.toContain(PAID_BODY);
    // Nothing paid came back and no paid handler ran (express itself may answer OPTIONS with `Allow`).
    expect(handlerRuns).toBe(before);
  });

  it("a middleware mounted under a path prices the route table written either way", async () => {
    const resourceServer = new x402ResourceServer(
      new x402Facilitator().register(LEDGER_NETWORK, new LedgerFacilitator()),
    ).register("test:*", new LedgerServer());
    const app = express();
    const v1 = express.Router();
    const v2 = express.Router();
    // Official style: routes relative to the mount point; ours: the full path.
    v1.use(paymentMiddleware({ "GET /weather": { accepts } }, resourceServer));
    v2.use(paymentMiddleware({ "GET /v2/weather": { accepts } }, resourceServer));
    for (const router of [v1, v2])
      router.get("/weather", (_req, res) => {
        handlerRuns += 1;
        res.type("text/plain").send(PAID_BODY);
      });
    app.use("/v1", v1);
    app.use("/v2", v2);
    const mounted = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      const mountedPort = (mounted.address() as AddressInfo).port;
      const before = handlerRuns;
      for (const line of [
        "GET /v1/weather HTTP/1.1",
        "GET /v2/weather HTTP/1.1",
        "GET /V1/Weather/ HTTP/1.1",
      ]) {
        const response = await rawRequest(mountedPort, line);
        expect(response.status, line).toBe(402);
        expect(response.body).not.toContain(PAID_BODY);
      }
      expect(handlerRuns).toBe(before);
    } finally {
      await new Promise<void>((resolve) => mounted.close(() => resolve()));
    }
  });

  it("the suite is live: the plain path gets 402 and a free path is served", async () => {
    expect((await rawRequest(port, "GET /paid HTTP/1.1")).status).toBe(402);
    expect((await rawRequest(port, "GET http://127.0.0.1/paid HTTP/1.1")).status).toBe(402);
    const free = await rawRequest(port, "GET /free HTTP/1.1");
    expect(free.status).toBe(200);
    expect(free.body).toContain("free");
  });
});
