import { createRequire } from "node:module";
import { FREE_PATH, HANDLER_BODY, PAID_PATH } from "../config.js";
import type { Listener } from "./serve.js";

// bench has no @types/express, so express is loaded untyped and described by the little
// it is used for here. Both servers get exactly this app; only the middleware differs.
type Handler = (req: unknown, res: { json(body: unknown): void }, next: () => void) => unknown;
interface ExpressApp extends Listener {
  use(handler: Handler): void;
  get(path: string, handler: Handler): void;
}
const express = createRequire(import.meta.url)("express") as () => ExpressApp;

/** An express app with the paid route behind `middleware` and an unpriced route. */
export function createApp(middleware: unknown): ExpressApp {
  const app = express();
  app.use(middleware as Handler);
  const handler: Handler = (_req, res) => res.json(HANDLER_BODY);
  app.get(PAID_PATH, handler);
  app.get(FREE_PATH, handler);
  return app;
}
