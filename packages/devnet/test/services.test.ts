import { spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startPostgres, startRedis } from "../src/services/index.js";
import { isPortOpen, isRunning } from "./helpers.js";

/** Sends `request` on a fresh TCP connection and resolves with the first bytes answered. */
function ask(port: number, request: Buffer | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data);
    });
    socket.once("error", reject);
  });
}

/** PostgreSQL's SSLRequest packet: a server answers a single byte, "N" when SSL is off. */
const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

async function expectGone(pid: number, port: number) {
  for (let i = 0; i < 250 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 20));
  expect(isRunning(pid)).toBe(false);
  expect(await isPortOpen(port)).toBe(false);
}

describe("startRedis", () => {
  it("starts a redis-server that answers PING on its URL, and stop() ends it", async () => {
    const redis = await startRedis();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect((await ask(redis.port, "PING\r\n")).toString()).toBe("+PONG\r\n");
    await redis.stop();
    await redis.stop(); // idempotent
    await expectGone(redis.pid, redis.port);
  });

  it("two instances get different ports", async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()]);
    try {
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("names the Debian package when the binary is missing", async () => {
    await expect(startRedis({ binary: "/nonexistent/redis-server" })).rejects.toThrow(
      'redis-server not found: install the Debian package "redis-server"',
    );
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await expect(startRedis()).rejects.toThrow('install the Debian package "redis-server"');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe("startPostgres", () => {
  it("starts a PostgreSQL that speaks the wire protocol on its URL, and stop() ends it", async () => {
    const pg = await startPostgres();
    expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
    expect((await ask(pg.port, sslRequest)).toString()).toBe("N");
    await pg.stop();
    await expectGone(pg.pid, pg.port);
  });

  it("names the Debian package when the binaries are missing", async () => {
    await expect(startPostgres({ binDir: "/nonexistent" })).rejects.toThrow(
      'install the Debian package "postgresql"',
    );
  });
});

describe("services cleanup", () => {
  it("kills Redis and PostgreSQL when the parent process exits without stop()", async () => {
    const fixture = fileURLToPath(new URL("./fixtures/serviceOrphan.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", fixture], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
    });
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    const started = JSON.parse(out) as Record<"redis" | "pg", { pid: number; port: number }>;
    await expectGone(started.redis.pid, started.redis.port);
    await expectGone(started.pg.pid, started.pg.port);
  });
});
