import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { paymentCors, paymentMiddleware } from "@x402kit/express";
import express from "express";
import { type AdapterFactory, PAID_BODY, STREAM_EVENTS } from "../contract.js";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The conformance app on `@x402kit/express`. */
export const expressFactory: AdapterFactory = async ({ routes, server, hit }) => {
  const app = express();
  app.use(paymentCors());
  app.use(paymentMiddleware(routes, server));
  app.get("/paid", (_req, res) => {
    hit("paid");
    res.json({ content: PAID_BODY });
  });
  app.all(["/api", "/api/{*rest}"], (_req, res) => {
    hit("wildcard");
    res.type("text/plain").send(PAID_BODY);
  });
  app.get("/fails", (_req, res) => {
    hit("fails");
    res.status(500).type("text/plain").send("handler failed");
  });
  app.get("/stream", async (_req, res) => {
    hit("stream");
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (const [i, event] of STREAM_EVENTS.entries()) {
      if (i > 0) await wait(50);
      res.write(event);
    }
    res.end();
  });
  app.get("/upfront", (_req, res) => {
    hit("upfront");
    res.json({ content: PAID_BODY });
  });
  app.get("/weather/:city", (req, res) => {
    hit("dynamic");
    res.json({ city: req.params.city });
  });
  app.get("/free", (_req, res) => {
    hit("free");
    res.type("text/plain").send("free");
  });

  const listener = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const port = (listener.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        listener.close(() => resolve());
        listener.closeAllConnections();
      }),
  };
};
