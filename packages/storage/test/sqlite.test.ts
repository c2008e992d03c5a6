import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../src/sqlite/index.js";
import { describeContention, describeKeyValueStore, sleep } from "./conformance.js";

const dir = mkdtempSync(join(tmpdir(), "x402kit-sqlite-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `store-${++files}.db`);

describeKeyValueStore("SqliteStore (file)", () => new SqliteStore(newFile()));
describeKeyValueStore("SqliteStore (:memory:)", () => new SqliteStore(":memory:"));
describeContention("SqliteStore, two connections to one file", async () => {
  const file = newFile();
  return [new SqliteStore(file), new SqliteStore(file)];
});

describe("SqliteStore on a file", () => {
  it("two instances on the same file see each other's claims and deletes", async () => {
    const file = newFile();
    const [a, b] = [new SqliteStore(file), new SqliteStore(file)];
    expect(await a.claim("inflight:1", "a", { ttlMs: 60_000 })).toBe(true);
    expect(await b.claim("inflight:1", "b")).toBe(false);
    expect(await b.get("inflight:1")).toBe("a");
    expect(await b.compareAndSet("inflight:1", "a", undefined)).toBe(true);
    expect(await a.get("inflight:1")).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });

  it("data and TTLs survive closing and reopening", async () => {
    const file = newFile();
    const first = new SqliteStore(file);
    await first.set("settlement:0xabc", '{"tx":"0x1"}');
    await first.set("guard", "x", { ttlMs: 300 });
    await first.close();
    const second = new SqliteStore(file);
    expect(await second.get("settlement:0xabc")).toBe('{"tx":"0x1"}');
    expect(await second.get("guard")).toBe("x");
    await sleep(500);
    expect(await second.get("guard")).toBeUndefined();
    await second.close();
  });

  it("uses WAL, the table name given, and leaves a Database it was handed open", async () => {
    const file = newFile();
    const db = new Database(file);
    const store = new SqliteStore(db, { table: "my_state" });
    await store.set("k", "v");
    expect(db.prepare("SELECT value FROM my_state WHERE key = 'k'").get()).toEqual({ value: "v" });
    await store.close();
    expect(db.open).toBe(true);
    db.close();
    const own = new SqliteStore(file);
    expect(new Database(file).pragma("journal_mode", { simple: true })).toBe("wal");
    await own.close();
  });

  it("rejects a table name that is not a plain identifier", () => {
    expect(() => new SqliteStore(":memory:", { table: "kv; DROP TABLE x" })).toThrow(/plain SQL identifier/);
  });

  it("sweeps expired rows on a later write", async () => {
    const file = newFile();
    const store = new SqliteStore(file, { sweepIntervalMs: 50 });
    for (let i = 0; i < 20; i++) await store.set(`gone:${i}`, "x", { ttlMs: 10 });
    await sleep(80);
    await store.set("trigger", "x");
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM x402kit_kv").get()).toEqual({ n: 1 });
    db.close();
    await store.close();
  });

  it("separate OS processes claiming one key in one file: exactly one wins", async () => {
    const file = newFile();
    await new SqliteStore(file).close(); // create the table before the race
    const worker = fileURLToPath(new URL("./fixtures/sqliteClaimWorker.ts", import.meta.url));
    const run = (id: number) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ["--conditions=@x402kit/source", "--import", "tsx", worker, file, `p${id}`],
          { stdio: ["ignore", "pipe", "inherit"] },
        );
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
        });
        child.once("exit", (code) =>
          code === 0 ? resolve(out.trim()) : reject(new Error(`worker exit ${code}`)),
        );
      });
    const outcomes = await Promise.all([1, 2, 3, 4].map(run));
    // Each worker tried 20 claims and printed the ones it won.
    const wins = outcomes.flatMap((line) => JSON.parse(line) as string[]);
    expect(wins).toHaveLength(1);
    const store = new SqliteStore(file);
    expect(await store.get("contended")).toBe(wins[0]);
    await store.close();
  });
});
