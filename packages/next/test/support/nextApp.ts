import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type RequestListener } from "node:http";
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

const globals = globalThis as { __x402kitNextApp?: NextAppHandlers };
let built: Promise<string> | undefined;
// Next keeps its configured port in module state: one Next instance per process, re-served on the same port.
let instance: Promise<{ handle: RequestListener; port: number }> | undefined;

/**
 * Build the fixture app once per test process (`next build` on a private copy, ~5–10 s) and
 * serve it with Next's production server in this process, so the handlers the test passes in
 * run on requests Next itself parsed and routed. One app at a time per process.
 */
export async function startNextApp(handlers: NextAppHandlers): Promise<RunningNextApp> {
  if (globals.__x402kitNextApp) throw new Error("one Next app at a time per test process");
  globals.__x402kitNextApp = handlers;
  const server = createServer();
  try {
    instance ??= createInstance(server);
    const { handle, port } = await instance;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    server.on("request", handle);
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      async close() {
        globals.__x402kitNextApp = undefined;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        // Let clients see their pooled connections closed before the port is served again.
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
    };
  } catch (error) {
    globals.__x402kitNextApp = undefined;
    throw error;
  }
}

/** Remove this process's build of the fixture (call once, after the last app closed). */
export async function removeBuiltApp(): Promise<void> {
  if (built) await rm(await built, { recursive: true, force: true });
}

async function createInstance(server: ReturnType<typeof createServer>) {
  built ??= buildFixture();
  const dir = await built;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const app = next({ dir, dev: false, hostname: "127.0.0.1", port, quiet: true });
  await app.prepare();
  const handler = app.getRequestHandler();
  const handle: RequestListener = (req, res) => void handler(req, res);
  return { handle, port };
}

async function buildFixture(): Promise<string> {
  // Under the package's node_modules: `next` and `react` resolve from there, and git and the
  // linter never see the build, even when a crashed run leaves it behind.
  const parent = join(packageDir, "node_modules", ".cache");
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, "x402kit-next-app-"));
  await cp(FIXTURE, dir, { recursive: true });
  const bin = join(packageDir, "node_modules", "next", "dist", "bin", "next");
  await promisify(execFile)(process.execPath, [bin, "build"], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    maxBuffer: 16 * 1024 * 1024,
  });
  return dir;
}
