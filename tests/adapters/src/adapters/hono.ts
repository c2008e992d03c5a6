import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { paymentCors, paymentMiddleware } from "@x402kit/hono";
import { Hono } from "hono";
import { stream } from "hono/streaming";
import { type AdapterFactory, PAID_BODY, STREAM_EVENTS } from "../contract.js";

/** The conformance app on `@x402kit/hono`, served by `@hono/node-server`. */
export const honoFactory: AdapterFactory = async ({ routes, server, hit }) => {
  const app = new Hono();
  app.use(paymentCors());
  app.use(paymentMiddleware(routes, server));
  app.get("/paid", (c) => {
    hit("paid");
    return c.json({ content: PAID_BODY });
  });
  app.all("/api", (c) => {
    hit("wildcard");
    return c.text(PAID_BODY);
  });
  app.all("/api/*", (c) => {
    hit("wildcard");
    return c.text(PAID_BODY);
  });
  app.get("/fails", (c) => {
    hit("fails");
    return c.text("handler failed", 500);
  });
  app.get("/stream", (c) => {
    hit("stream");
    c.header("content-type", "text/event-stream");
    c.header("cache-control", "no-cache");
    return stream(c, async (s) => {
      for (const [i, event] of STREAM_EVENTS.entries()) {
        if (i > 0) await s.sleep(50);
        await s.write(event);
      }
    });
  });
  app.get("/upfront", (c) => {
    hit("upfront");
    return c.json({ content: PAID_BODY });
  });
  app.get("/weather/:city", (c) => {
    hit("dynamic");
    return c.json({ city: c.req.param("city") });
  });
  app.get("/free", (c) => {
    hit("free");
    return c.text("free");
  });

  const listener = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  const address = listener.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        listener.close(() => resolve());
        listener.closeAllConnections();
      }),
  };
};
