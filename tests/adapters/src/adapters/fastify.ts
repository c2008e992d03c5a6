import { PassThrough } from "node:stream";
import { paymentCors, paymentMiddleware } from "@x402kit/fastify";
import Fastify from "fastify";
import { type AdapterFactory, PAID_BODY, STREAM_EVENTS } from "../contract.js";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The conformance app on `@x402kit/fastify`. */
export const fastifyFactory: AdapterFactory = async ({ routes, server, hit }) => {
  const app = Fastify();
  app.addHook("onRequest", paymentCors());
  paymentMiddleware(app, routes, server);
  app.get("/paid", async () => {
    hit("paid");
    return { content: PAID_BODY };
  });
  const wildcard = async (_request: unknown, reply: { type(t: string): unknown }) => {
    hit("wildcard");
    reply.type("text/plain");
    return PAID_BODY;
  };
  app.all("/api", wildcard);
  app.all("/api/*", wildcard);
  app.get("/fails", async (_request, reply) => {
    hit("fails");
    return reply.code(500).type("text/plain").send("handler failed");
  });
  app.get("/stream", async (_request, reply) => {
    hit("stream");
    // A real stream: fastify pipes it to the socket as it is written.
    const events = new PassThrough();
    void (async () => {
      for (const [i, event] of STREAM_EVENTS.entries()) {
        if (i > 0) await wait(50);
        events.write(event);
      }
      events.end();
    })();
    return reply.type("text/event-stream").header("cache-control", "no-cache").send(events);
  });
  app.get("/upfront", async () => {
    hit("upfront");
    return { content: PAID_BODY };
  });
  app.get("/weather/:city", async (request) => {
    hit("dynamic");
    return { city: (request.params as { city: string }).city };
  });
  app.get("/free", async (_request, reply) => {
    hit("free");
    return reply.type("text/plain").send("free");
  });

  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
};
