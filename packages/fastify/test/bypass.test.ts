import { x402Facilitator } from "@x402kit/core/facilitator";
import { x402ResourceServer } from "@x402kit/core/server";
import { paymentMiddleware } from "@x402kit/fastify";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerFacilitator, LedgerServer } from "../../core/test/ledgerScheme.js";
import { BYPASS_REQUEST_LINES, PAID_BODY } from "../../core/test/support/bypassSpellings.js";
import { rawRequest } from "../../core/test/support/rawHttp.js";

// The ledger scheme is core's in-memory TEST DOUBLE; what is under test is route matching.
const accepts = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;

// Fastify's router options change which spellings reach a route: every combination must hold.
const variants: [string, FastifyServerOptions][] = [
  ["defaults", {}],
  [
    "lenient router",
    { routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, caseSensitive: false } },
  ],
];

describe.each(variants)(
  "fastify (%s): no spelling of a paid path reaches the handler unpaid",
  (_, options) => {
    let app: FastifyInstance;
    let port: number;
    let handlerRuns = 0;

    beforeAll(async () => {
      const resourceServer = new x402ResourceServer(
        new x402Facilitator().register(LEDGER_NETWORK, new LedgerFacilitator()),
      ).register("test:*", new LedgerServer());
      app = Fastify(options);
      paymentMiddleware(app, { "GET /paid": { accepts }, "/api/*": { accepts } }, resourceServer);
      const paid = async () => {
        handlerRuns += 1;
        return PAID_BODY;
      };
      app.get("/paid", paid);
      app.all("/api", paid);
      app.all("/api/*", paid);
      app.get("/free", async () => "free");
      await app.listen({ port: 0, host: "127.0.0.1" });
      port = (app.server.address() as { port: number }).port;
    });
    afterAll(() => app.close());

    it.each(BYPASS_REQUEST_LINES)("%s", async (line) => {
      const before = handlerRuns;
      const response = await rawRequest(port, line);
      expect(response.status).not.toBe(0);
      expect(response.body).not.toContain(PAID_BODY);
      expect(handlerRuns).toBe(before);
      if (response.status === 200) throw new Error(`${line} was served unpaid`);
    });

    it("the suite is live: the plain path gets 402 and a free path is served", async () => {
      expect((await rawRequest(port, "GET /paid HTTP/1.1")).status).toBe(402);
      const free = await rawRequest(port, "GET /free HTTP/1.1");
      expect(free.status).toBe(200);
      expect(free.body).toContain("free");
    });
  },
);
