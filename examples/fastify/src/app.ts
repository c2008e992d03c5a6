import { PassThrough } from "node:stream";
import type { PaymentOption, x402ResourceServer } from "@x402kit/core/server";
import { paymentCors, paymentMiddleware } from "@x402kit/fastify";
import Fastify, { type FastifyInstance } from "fastify";

/**
 * The paid API: the part of this example you would copy. `GET /weather` is settled after its
 * handler succeeded (everything it writes is held until then); `GET /ticker` streams
 * server-sent events, so it settles before its handler runs and then streams freely.
 * Preflights are answered by `paymentCors()` and never priced. `accepts`: the price and `payTo`.
 */
export function createApp(server: x402ResourceServer, accepts: PaymentOption): FastifyInstance {
  const app = Fastify();
  app.addHook("onRequest", paymentCors());
  paymentMiddleware(
    app,
    {
      "GET /weather": { accepts, description: "Today's weather", mimeType: "application/json" },
      "GET /ticker": {
        accepts,
        description: "Three price ticks as server-sent events",
        mimeType: "text/event-stream",
        settlementPhase: "before-handler",
      },
    },
    server,
  );
  app.get("/", async () => "x402kit fastify example: GET /weather and GET /ticker cost 0.01 USDC");
  app.get("/weather", async () => ({ city: "Lisbon", forecast: "sunny", celsius: 21 }));
  app.get("/ticker", async (_request, reply) => {
    const events = new PassThrough();
    void (async () => {
      for (const [i, price] of ["101.2", "101.4", "101.1"].entries()) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        events.write(`event: tick\ndata: ${JSON.stringify({ symbol: "ETH/USD", price })}\n\n`);
      }
      events.end();
    })();
    return reply.type("text/event-stream").header("cache-control", "no-cache").send(events);
  });
  return app;
}
