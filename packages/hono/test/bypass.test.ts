import { paymentMiddleware } from "@x402kit/hono";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEDGER_NETWORK, LedgerFacilitator } from "../../core/test/ledgerScheme.js";
import { BYPASS_REQUEST_LINES, PAID_BODY } from "../../core/test/support/bypassSpellings.js";
import { rawRequest } from "../../core/test/support/rawHttp.js";
import { ledgerResourceServer, listen, type Served } from "./support/serve.js";

// The ledger scheme is core's in-memory TEST DOUBLE; what is under test is route matching.
const accepts = { scheme: "ledger", network: LEDGER_NETWORK, payTo: "merchant", price: "$0.01" } as const;

// hono routes case-sensitively and, by default, treats `/paid/` apart from `/paid` (`strict`);
// `strict: false` routes both alike. Both must leave no unpaid spelling.
describe.each([
  { name: "strict (default)", options: {} },
  { name: "strict: false", options: { strict: false } },
])(
  "hono ($name) served by @hono/node-server: no spelling of a paid path reaches the handler unpaid",
  ({ options }) => {
    let served: Served;
    let handlerRuns = 0;

    beforeAll(async () => {
      const app = new Hono(options);
      app.use(
        paymentMiddleware(
          { "GET /paid": { accepts }, "/api/*": { accepts } },
          ledgerResourceServer(new LedgerFacilitator()),
        ),
      );
      const paid = (c: { text(body: string): Response }) => {
        handlerRuns += 1;
        return c.text(PAID_BODY);
      };
      app.get("/paid", paid);
      // Every method, OPTIONS included: a method-less route must price OPTIONS too.
      app.all("/api", paid);
      app.all("/api/*", paid);
      app.get("/free", (c) => c.text("free"));
      served = await listen(app);
    });
    afterAll(() => served.close());

    it.each(BYPASS_REQUEST_LINES)("%s", async (line) => {
      const before = handlerRuns;
      const response = await rawRequest(served.port, line);
      expect(response.status).not.toBe(0);
      expect(response.body).not.toContain(PAID_BODY);
      expect(handlerRuns).toBe(before);
      if (response.status === 200) throw new Error(`${line} was served unpaid`);
    });

    it("the suite is live: the plain path gets 402 and a free path is served", async () => {
      expect((await rawRequest(served.port, "GET /paid HTTP/1.1")).status).toBe(402);
      expect((await rawRequest(served.port, "GET http://127.0.0.1/paid HTTP/1.1")).status).toBe(402);
      expect((await rawRequest(served.port, "POST /api/x HTTP/1.1", ["Content-Length: 0"])).status).toBe(402);
      const free = await rawRequest(served.port, "GET /free HTTP/1.1");
      expect(free.status).toBe(200);
      expect(free.body).toContain("free");
    });
  },
);
