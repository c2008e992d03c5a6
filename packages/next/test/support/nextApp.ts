import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import next from "next";
import type { NextRequest } from "next/server";

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, "..", "..");
const FIXTURE = join(here, "..", "fixtureApp");

/** A route's second argument in the App Router. */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

/** What a test plugs into the fixture app: its proxy (optional) and a handler per route name. */
export interface NextAppHandlers {
  proxy?: (request: NextRequest) => Response | Promise<Response>;
  route(name: string, request: NextRequest, context: RouteContext): Response | Promise<Response>;
}

/** A real Next.js server (the production server, `next start`'s own code) on a loopback port. */
export interface RunningNextApp {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Registry = Map<string, NextAppHandlers>;
const globals = globalThis as { __x402kitNextApps?: Registry };
let built: Promise<string> | undefined;
const copies: string[] = [];

/**
 * Build the fixture app once per test process (`next build` on a private copy, ~5 s) and
 * serve it with Next's production server in this process, so the handlers the test passes in
 * run on requests Next itself parsed and routed. Each app serves its own copy of the build:
 * Next keeps one server per directory in module state (its configured port included).
 */
export async function startNextApp(handlers: NextAppHandlers): Promise<RunningNextApp> {
  built ??= buildFixture();
  const source = await built;
  const dir = `${source}-${copies.length}`;
  copies.push(dir);
  await cp(source, dir, { recursive: true });
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  globals.__x402kitNextApps ??= new Map();
  globals.__x402kitNextApps.set(String(port), handlers);
  const app = next({ dir, dev: false, hostname: "127.0.0.1", port, quiet: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  server.on("request", (req, res) => void handle(req, res));
  return {
    // Next names its own origin `localhost` (request.url, resource URLs): use the same.
    url: `http://localhost:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      globals.__x402kitNextApps?.delete(String(port));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Remove this process's build of the fixture (call once, after the last app closed). */
export async function removeBuiltApp(): Promise<void> {
  if (built) await rm(await built, { recursive: true, force: true });
}

async function buildFixture(): Promise<string> {
  // Under the package's node_modules: `next` and `react` resolve from there, and git and the
  // linter never see the build, even when a crashed run leaves it behind.
  const parent = join(packageDir, "node_modules", ".cache");
  await mkdir(parent, { recursive: true });
  await sweepStaleBuilds(parent);
  const dir = await mkdtemp(join(parent, "x402kit-next-app-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  await cp(FIXTURE, dir, { recursive: true });
  const bin = join(packageDir, "node_modules", "next", "dist", "bin", "next");
  await promisify(execFile)(process.execPath, [bin, "build"], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    maxBuffer: 16 * 1024 * 1024,
  });
  return dir;
}

/** Remove builds left by earlier runs (a killed test process cannot clean up after itself). */
async function sweepStaleBuilds(parent: string): Promise<void> {
  const cutoff = Date.now() - 15 * 60_000;
  for (const name of await readdir(parent)) {
    if (!name.startsWith("x402kit-next-app-")) continue;
    const path = join(parent, name);
    const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: Date.now() }));
    if (mtimeMs < cutoff) await rm(path, { recursive: true, force: true });
  }
}
