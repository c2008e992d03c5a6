import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { ApiContext, RunningApi } from "@x402kit/example-shared";
import { runningServer } from "@x402kit/example-shared";
import { createApp } from "./app.js";

/** Serve the hono app (`src/app.ts`) on Node with `@hono/node-server`, on the local chain's terms. */
export async function startApi({ resourceServer, accepts, port }: ApiContext): Promise<RunningApi> {
  const app = createApp(resourceServer, accepts);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  return runningServer(server);
}
