// A Cloudflare-style worker: a hono app behind x402kit's payment middleware, built the way most
// hono apps are — everything at module scope. The edge test bundles this file (Node built-ins
// forbidden) and runs it inside workerd without `nodejs_compat`: no `process`, no `Buffer`.
import { HTTPFacilitatorClient, x402ResourceServer } from "@x402kit/core/server";
import { ExactEvmScheme } from "@x402kit/evm/exact/server";
import { paymentCors, paymentMiddleware } from "@x402kit/hono";
import { Hono } from "hono";
import { stream } from "hono/streaming";
import type { WorkerConfig } from "./workerConfig.js";

/** Filled in by the bundler (esbuild `define`): where the facilitator is and what to charge. */
declare const __X402_CONFIG__: WorkerConfig;
const config = __X402_CONFIG__;

const PAID_BODY = "edge-paid-content";

const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: config.facilitatorUrl })).register(
  "eip155:*",
  new ExactEvmScheme(),
);
const accepts = {
  scheme: "exact",
  network: config.network,
  payTo: config.payTo,
  price: { amount: config.amount, asset: config.asset, extra: config.assetExtra },
};

const app = new Hono();
app.use(paymentCors());
app.use(
  paymentMiddleware(
    {
      "GET /paid": { accepts, description: "edge", mimeType: "application/json" },
      "GET /stream": { accepts },
      "GET /upfront": { accepts, settlementPhase: "before-handler" },
    },
    server,
  ),
);
app.get("/paid", (c) => c.json({ content: PAID_BODY, runtime: navigator.userAgent }));
app.get("/stream", (c) => {
  c.header("content-type", "text/event-stream");
  return stream(c, async (s) => {
    for (const part of ["one", "two", PAID_BODY]) {
      await s.write(`data: ${part}\n\n`);
      if (part !== PAID_BODY) await s.sleep(30);
    }
  });
});
app.get("/upfront", (c) => c.json({ content: PAID_BODY }));
app.get("/free", (c) => c.text(`free on ${navigator.userAgent}`));

export default app;
