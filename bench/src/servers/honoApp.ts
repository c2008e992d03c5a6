import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { Hono, type MiddlewareHandler } from "hono";
import { FREE_PATH, HANDLER_BODY, PAID_PATH } from "../config.js";
import type { Listener } from "./serve.js";

/**
 * A hono app with the paid route behind `middleware` and an unpriced route, served by
 * @hono/node-server. Both hono servers get exactly this app; only the middleware differs.
 */
export function createHonoApp(middleware: MiddlewareHandler): Listener {
  const app = new Hono();
  app.use(middleware);
  app.get(PAID_PATH, (c) => c.json(HANDLER_BODY));
  app.get(FREE_PATH, (c) => c.json(HANDLER_BODY));
  return {
    listen: (port, hostname, callback) => serve({ fetch: app.fetch, port, hostname }, callback) as Server,
  };
}
