import type { Server } from "node:http";
import type { StubFacilitator } from "./stubFacilitator.js";

/** Messages between the runner and a server child process. */
export type ServerMessage = { type: "ready"; port: number } | { type: "stats"; stats: ServerStats };

/** Counters the runner reads before and after each load run. */
export interface ServerStats {
  calls: StubFacilitator["calls"];
  /** CPU time (user + system) this server process has used so far, µs. */
  cpuMicros: number;
}

export interface Listener {
  listen(port: number, host: string, callback: () => void): Server;
}

/**
 * Run `app` in this child process on a free loopback port and talk to the runner over IPC:
 * announce the port, answer "stats" with the stub's counters and the CPU time used, exit on
 * "stop". CPU time per request is far less sensitive to a busy machine than requests/s.
 */
export function serveInChild(app: Listener, stub: StubFacilitator): void {
  const send = (message: ServerMessage) => process.send?.(message);
  const server = app.listen(0, "127.0.0.1", () => {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    send({ type: "ready", port: address.port });
  });
  process.on("message", (message: unknown) => {
    if (message === "stats") {
      const cpu = process.cpuUsage();
      send({ type: "stats", stats: { calls: { ...stub.calls }, cpuMicros: cpu.user + cpu.system } });
    }
    if (message === "stop") {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    }
  });
  // Never outlive the runner.
  process.on("disconnect", () => process.exit(0));
}
