import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Side } from "./presign.js";
import type { ServerMessage, ServerStats } from "./servers/serve.js";

/** The web framework hosting both middlewares. */
export type Framework = "express" | "hono";

// Each framework's server file per side, in `servers/`.
const SERVER_FILES: Record<Framework, Record<Side, string>> = {
  express: { ours: "ours.ts", official: "official.ts" },
  hono: { ours: "honoOurs.ts", official: "honoOfficial.ts" },
};

/** A server running in its own child process, so it does not share a core with the load generator. */
export interface ServerProcess {
  side: Side;
  url: string;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

/**
 * Fork the `framework` server of `side` (`servers/*.ts`) with this process's flags
 * (`--conditions=@x402kit/source`, `--import tsx`), plus `extraArgv` (e.g. `--cpu-prof`).
 * Production mode for express.
 */
export function startServer(
  side: Side,
  extraArgv: string[] = [],
  framework: Framework = "express",
): Promise<ServerProcess> {
  const file = fileURLToPath(new URL(`./servers/${SERVER_FILES[framework][side]}`, import.meta.url));
  const child = fork(file, {
    execArgv: [...process.execArgv, ...extraArgv],
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${side} server exited early (${code})`)));
    child.once("message", (message: ServerMessage) => {
      if (message.type !== "ready") return reject(new Error(`${side} server: unexpected ${message.type}`));
      child.removeAllListeners("exit");
      resolve(handle(side, child, `http://127.0.0.1:${message.port}`));
    });
  });
}

function handle(side: Side, child: ChildProcess, url: string): ServerProcess {
  return {
    side,
    url,
    stats: () =>
      new Promise((resolve) => {
        child.once("message", (message: ServerMessage) => {
          if (message.type === "stats") resolve(message.stats);
        });
        child.send("stats");
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.send("stop");
      }),
  };
}
