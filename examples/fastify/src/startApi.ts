import type { ApiContext, RunningApi } from "@x402kit/example-shared";
import { createApp } from "./app.js";

/** Listen with the fastify app (`src/app.ts`), on the local chain's terms. */
export async function startApi({ resourceServer, accepts, port }: ApiContext): Promise<RunningApi> {
  const app = createApp(resourceServer, accepts);
  await app.listen({ port, host: "127.0.0.1" });
  return {
    url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
    stop: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
