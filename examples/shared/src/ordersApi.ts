import type { Server } from "node:http";
import { paymentMiddleware } from "@x402kit/express";
import express from "express";
import type { ApiContext, RunningApi } from "./localStack.js";
import { runningServer } from "./nodeServer.js";

/**
 * The API the client examples pay: Express (`@x402kit/express`) with two paid routes,
 * `GET /weather` and `POST /orders` (echoes the JSON order it got, `201`).
 *
 * @example
 * ```ts
 * const stack = await startLocalStack({ startApi: startOrdersApi });
 * ```
 */
export async function startOrdersApi({ resourceServer, accepts, port }: ApiContext): Promise<RunningApi> {
  const app = express();
  app.use(
    paymentMiddleware(
      {
        "GET /weather": { accepts, description: "Today's weather", mimeType: "application/json" },
        "POST /orders": { accepts, description: "Place an order", mimeType: "application/json" },
      },
      resourceServer,
    ),
  );
  app.get("/weather", (_req, res) => res.json({ city: "Lisbon", forecast: "sunny", celsius: 21 }));
  app.post("/orders", express.json(), (req, res) => res.status(201).json({ accepted: req.body }));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(port, "127.0.0.1", () => resolve(s));
  });
  return runningServer(server);
}
