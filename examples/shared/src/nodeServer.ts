import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunningApi } from "./localStack.js";

/**
 * A listening Node HTTP server as a {@link RunningApi}: its `http://127.0.0.1:<port>` URL, and a
 * `stop()` that also drops kept-alive connections (otherwise `close()` waits for them).
 *
 * @example
 * ```ts
 * const server = app.listen(0, "127.0.0.1", () => resolve(runningServer(server)));
 * ```
 */
export function runningServer(server: Server): RunningApi {
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
