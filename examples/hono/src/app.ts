import type { PaymentOption, x402ResourceServer } from "@x402kit/core/server";
import { paymentCors, paymentMiddleware } from "@x402kit/hono";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";

/**
 * The paid API: the part of this example you would copy. `GET /weather` is settled after its
 * handler succeeded (the answer is held until then); `GET /ticker` streams server-sent events,
 * so it settles before its handler runs and then streams freely. Preflights are answered by
 * `paymentCors()` and never priced. `accepts`: the price and `payTo`.
 */
export function createApp(server: x402ResourceServer, accepts: PaymentOption): Hono {
  const app = new Hono();
  app.use(paymentCors());
  app.use(
    paymentMiddleware(
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
    ),
  );
  app.get("/", (c) => c.text("x402kit hono example: GET /weather and GET /ticker cost 0.01 USDC"));
  app.get("/weather", (c) => c.json({ city: "Lisbon", forecast: "sunny", celsius: 21 }));
  app.get("/ticker", (c) =>
    streamSSE(c, async (stream) => {
      for (const [i, price] of ["101.2", "101.4", "101.1"].entries()) {
        if (i > 0) await stream.sleep(200);
        await stream.writeSSE({ event: "tick", data: JSON.stringify({ symbol: "ETH/USD", price }) });
      }
    }),
  );
  return app;
}
