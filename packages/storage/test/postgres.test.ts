import { isX402Error } from "@x402kit/core";
import { startPostgres } from "@x402kit/devnet/services";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresStore } from "../src/postgres/index.js";
import { describeContention, describeKeyValueStore } from "./conformance.js";

// A real PostgreSQL cluster on a free port, created here and deleted after the file.
let server: Awaited<ReturnType<typeof startPostgres>>;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server?.stop());

let tables = 0;
const table = () => `kv_test_${++tables}`;

describeKeyValueStore(
  "PostgresStore",
  () => new PostgresStore(server.url, { table: table(), maxConnections: 4 }),
);
describeContention("PostgresStore, two connection pools", async () => {
  const name = table();
  return [new PostgresStore(server.url, { table: name }), new PostgresStore(server.url, { table: name })];
});

describe("PostgresStore", () => {
  it("two stores creating the same table at once both succeed", async () => {
    const name = table();
    const stores = Array.from(
      { length: 4 },
      () => new PostgresStore(server.url, { table: name, maxConnections: 2 }),
    );
    try {
      const claims = await Promise.all(stores.map((store, i) => store.claim("first", `s${i}`)));
      expect(claims.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("works over a client it was handed, in the table given, and leaves the client open", async () => {
    const sql = postgres(server.url, { onnotice: () => {} });
    const store = new PostgresStore(sql, { table: "My_State" });
    await store.set("k", "v", { ttlMs: 60_000 });
    const rows = await sql`SELECT key, value, expires_at > now() AS future FROM "My_State"`;
    expect(rows.map((row) => ({ ...row }))).toEqual([{ key: "k", value: "v", future: true }]);
    await store.close();
    expect((await sql`SELECT 1 AS one`)[0]?.one).toBe(1);
    await sql.end();
  });

  it("sweeps expired rows on a later write", async () => {
    const name = table();
    const store = new PostgresStore(server.url, { table: name, sweepIntervalMs: 50 });
    const sql = postgres(server.url);
    try {
      for (let i = 0; i < 20; i++) await store.set(`gone:${i}`, "x", { ttlMs: 10 });
      await new Promise((resolve) => setTimeout(resolve, 80));
      await store.set("trigger", "x");
      expect((await sql`SELECT count(*)::int AS n FROM ${sql(name)}`)[0]?.n).toBe(1);
    } finally {
      await Promise.all([store.close(), sql.end()]);
    }
  });

  it("reports an unreachable server as store_unavailable", async () => {
    const store = new PostgresStore(`postgres://postgres@127.0.0.1:${server.port + 1}/postgres`, {
      maxConnections: 1,
    });
    const error = await store.get("k").catch((e: unknown) => e);
    expect(isX402Error(error, "store_unavailable")).toBe(true);
    await store.close();
  });
});
