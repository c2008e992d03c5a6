import { findOnPath, isExecutable, missingBinary } from "./findBinary.js";
import { once, onFreePort, type ServiceInstance, spawnService } from "./spawnService.js";
import { makeWorkDir, removeWorkDir } from "./workDir.js";

/** Options for {@link startRedis}. Every field is optional. */
export interface RedisOptions {
  /** Port on 127.0.0.1. Default: a free port chosen by the OS. */
  port?: number;
  /** Path to `redis-server`. Default: the one on PATH (Debian package `redis-server`). */
  binary?: string;
  /** How long to wait for "Ready to accept connections". Default 15000 ms. */
  startupTimeoutMs?: number;
}

/**
 * Starts a throw-away `redis-server` on 127.0.0.1 (no persistence, its own temp directory)
 * and resolves once it accepts connections. It is killed when this process exits, even if
 * you forget `stop()`, and does not keep Node's event loop alive.
 *
 * @throws Error naming the Debian package `redis-server` when the binary is missing.
 * @example
 * const redis = await startRedis();
 * try {
 *   const client = new Redis(redis.url);
 * } finally {
 *   await redis.stop();
 * }
 */
export async function startRedis(options: RedisOptions = {}): Promise<ServiceInstance> {
  const binary = options.binary ?? findOnPath("redis-server");
  if (!binary || !isExecutable(binary)) throw missingBinary("redis-server", "redis-server");
  const dir = await makeWorkDir("redis");
  try {
    return await onFreePort(options.port, async (port) => {
      const server = await spawnService({
        name: "redis-server",
        binary,
        args: [
          ...["--port", String(port), "--bind", "127.0.0.1", "--daemonize", "no"],
          ...["--save", "", "--appendonly", "no", "--dir", dir, "--logfile", ""],
        ],
        ready: /Ready to accept connections/,
        portInUse: /Address already in use/i,
        stopSignal: "SIGTERM",
        timeoutMs: options.startupTimeoutMs ?? 15_000,
      });
      const stop = once(async () => {
        await server.stop();
        await removeWorkDir(dir);
      });
      return { url: `redis://127.0.0.1:${port}`, port, pid: server.pid, stop };
    });
  } catch (error) {
    await removeWorkDir(dir);
    throw error;
  }
}
