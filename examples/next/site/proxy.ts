import { paymentCors, paymentProxy } from "@x402kit/next";
import { accepts, server } from "./lib/payments";

// Priced in the proxy: /api/weather is held until its payment settled (a failed handler
// charges nothing); /api/ticker streams, so it settles first and then streams freely.
export const proxy = paymentCors()(
  paymentProxy(
    {
      "GET /api/weather": { accepts, description: "Today's weather", mimeType: "application/json" },
      "GET /api/ticker": {
        accepts,
        description: "Three price ticks as server-sent events",
        mimeType: "text/event-stream",
        settlementPhase: "before-handler",
      },
    },
    server,
  ),
);

export const config = { matcher: "/api/:path*" };
