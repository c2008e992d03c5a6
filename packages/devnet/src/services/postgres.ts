import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { findPostgresBinDir, isPostgresBinDir, missingBinary } from "./findBinary.js";
import { once, onFreePort, type ServiceInstance, spawnService } from "./spawnService.js";
import { makeWorkDir, removeWorkDir } from "./workDir.js";

/** Options for {@link startPostgres}. Every field is optional. */
export interface PostgresOptions {
  /** Port on 127.0.0.1. Default: a free port chosen by the OS. */
  port?: number;
  /** Directory with `initdb` and `postgres`. Default: the newest /usr/lib/postgresql/<major>/bin, else PATH. */
  binDir?: string;
  /** How long to wait for the server to accept connections. Default 30000 ms. */
  startupTimeoutMs?: number;
}

type User = { uid: number; gid: number };

/**
 * PostgreSQL refuses to run as root. When Node is root, initdb and the server run as the
 * `postgres` user that Debian's package creates.
 */
function serverUser(): User | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (!uid || !gid) {
    throw new Error(
      'PostgreSQL cannot run as root and there is no "postgres" user: install the Debian package "postgresql"',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Starts a throw-away PostgreSQL on 127.0.0.1: a fresh cluster in a temp directory (trust
 * authentication, user and database `postgres`, durability switched off for speed). Resolves
 * once it accepts connections. The server is killed when this process exits, even if you
 * forget `stop()`, and does not keep Node's event loop alive. `stop()` also deletes the cluster.
 *
 * @throws Error naming the Debian package `postgresql` when the binaries are missing.
 * @example
 * const pg = await startPostgres();
 * try {
 *   const sql = postgres(pg.url); // postgres://postgres@127.0.0.1:<port>/postgres
 * } finally {
 *   await pg.stop();
 * }
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<ServiceInstance> {
  const binDir = options.binDir ?? findPostgresBinDir();
  if (!binDir || !isPostgresBinDir(binDir))
    throw missingBinary("PostgreSQL server binaries (initdb, postgres)", "postgresql");
  const user = serverUser();
  const dir = await makeWorkDir("postgres", user);
  const dataDir = join(dir, "data");
  try {
    await promisify(execFile)(
      join(binDir, "initdb"),
      ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
      { ...user, timeout: options.startupTimeoutMs ?? 30_000 },
    ).catch((error: Error & { stderr?: string }) => {
      throw new Error(`initdb failed: ${error.stderr?.trim() || error.message}`, { cause: error });
    });
    return await onFreePort(options.port, async (port) => {
      const server = await spawnService({
        name: "postgres",
        binary: join(binDir, "postgres"),
        args: [
          ...["-D", dataDir, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1"],
          ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
        ],
        ...(user ? { user } : {}),
        ready: /database system is ready to accept connections/,
        portInUse: /could not bind|Address already in use/i,
        // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
        stopSignal: "SIGINT",
        timeoutMs: options.startupTimeoutMs ?? 30_000,
      });
      const stop = once(async () => {
        await server.stop();
        await removeWorkDir(dir);
      });
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, pid: server.pid, stop };
    });
  } catch (error) {
    await removeWorkDir(dir);
    throw error;
  }
}
