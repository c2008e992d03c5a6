import {
  type KeyValueStore,
  type StoreEntry,
  type StoreWriteOptions,
  storeTtlMs,
} from "@x402kit/core/storage";
import postgres from "postgres";
import { checkTableName, prefixUpperBound, storeFailure } from "../storeFailure.js";

/** Options of {@link PostgresStore}. */
export interface PostgresStoreOptions {
  /** Table holding the entries (in the connection's search path), created if missing. Default `x402kit_kv`. */
  table?: string;
  /** A write deletes all expired rows at most once per this many milliseconds. Default 60000. */
  sweepIntervalMs?: number;
  /** Pool size when the store opens its own connections from a URL. Default 10. */
  maxConnections?: number;
}

// Any postgres.js client, whatever custom types it was created with.
type Sql = postgres.Sql<Record<string, unknown>>;

/**
 * A {@link KeyValueStore} in PostgreSQL, for many instances sharing state. Each method is one
 * statement (an upsert or update guarded by a WHERE), so it is atomic under concurrency.
 * Expiry uses the database server's clock, the same for every instance.
 *
 * Pass a URL (`postgres://user:pass@host:5432/db`) or a `postgres` (porsager) client; a client
 * you pass stays open on `close()`. The table is created on first use.
 *
 * @example
 * ```ts
 * import { PostgresStore } from "@x402kit/storage/postgres";
 * const store = new PostgresStore(process.env.DATABASE_URL as string, { table: "x402_state" });
 * await store.set("idempotency:req-1", JSON.stringify({ status: 200 }), { ttlMs: 86_400_000 });
 * await store.close();
 * ```
 */
export class PostgresStore implements KeyValueStore {
  readonly #sql: Sql;
  readonly #ownsClient: boolean;
  readonly #table: string;
  readonly #sweepIntervalMs: number;
  #lastSweep = Date.now();
  #ready: Promise<void> | undefined;

  constructor(connection: string | Sql, options: PostgresStoreOptions = {}) {
    this.#table = checkTableName(options.table ?? "x402kit_kv");
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.#ownsClient = typeof connection === "string";
    this.#sql =
      typeof connection === "string"
        ? (postgres(connection, { max: options.maxConnections ?? 10, onnotice: () => {} }) as unknown as Sql)
        : connection;
  }

  async get(key: string): Promise<string | undefined> {
    const rows = await this.#query(
      "get",
      (sql, t) => sql`SELECT value FROM ${t} WHERE key = ${key} AND ${live(sql)}`,
    );
    return rows[0]?.value as string | undefined;
  }

  async set(key: string, value: string, options?: StoreWriteOptions): Promise<void> {
    const ttl = storeTtlMs(options) ?? null;
    await this.#write("set", (sql, t) => sql`${upsert(sql, t, key, value, ttl)}`);
  }

  async claim(key: string, value: string, options?: StoreWriteOptions): Promise<boolean> {
    const ttl = storeTtlMs(options) ?? null;
    // The conflict branch only fires over an expired row: a live one makes this a no-op.
    const rows = await this.#write(
      "claim",
      (sql, t) =>
        sql`${upsert(sql, t, key, value, ttl)} WHERE ${t}.expires_at IS NOT NULL AND ${t}.expires_at <= clock_timestamp()`,
    );
    return rows.count === 1;
  }

  async compareAndSet(
    key: string,
    expected: string | undefined,
    value: string | undefined,
    options?: StoreWriteOptions,
  ): Promise<boolean> {
    const ttl = storeTtlMs(options) ?? null;
    if (expected === undefined && value === undefined) {
      const rows = await this.#query(
        "compareAndSet",
        (sql, t) => sql`SELECT NOT EXISTS (SELECT 1 FROM ${t} WHERE key = ${key} AND ${live(sql)}) AS absent`,
      );
      return rows[0]?.absent === true;
    }
    if (expected === undefined) return this.claim(key, value as string, options);
    const rows = await this.#write("compareAndSet", (sql, t) =>
      value === undefined
        ? sql`DELETE FROM ${t} WHERE key = ${key} AND value = ${expected} AND ${live(sql)}`
        : sql`UPDATE ${t} SET value = ${value}, expires_at = ${expiresAt(sql, ttl)}
              WHERE key = ${key} AND value = ${expected} AND ${live(sql)}`,
    );
    return rows.count === 1;
  }

  async delete(key: string): Promise<void> {
    await this.#query("delete", (sql, t) => sql`DELETE FROM ${t} WHERE key = ${key}`);
  }

  async list(prefix: string): Promise<StoreEntry[]> {
    const bound = prefixUpperBound(prefix);
    const rows = await this.#query(
      "list",
      (sql, t) =>
        sql`SELECT key, value FROM ${t} WHERE key >= ${prefix}
            ${bound === undefined ? sql`` : sql`AND key < ${bound}`} AND ${live(sql)} ORDER BY key`,
    );
    return rows.map((row) => ({ key: row.key as string, value: row.value as string }));
  }

  /** Ends the connection pool if this store opened it (a client you passed in stays open). */
  async close(): Promise<void> {
    if (this.#ownsClient) await this.#sql.end({ timeout: 5 });
  }

  /** Creates the table once, under an advisory lock so concurrent first uses do not collide. */
  #init(): Promise<void> {
    this.#ready ??= this.#sql
      .begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(hashtext(${`x402kit:${this.#table}`}))`;
        const [row] = await tx`SELECT to_regclass(${`"${this.#table}"`}) IS NOT NULL AS found`;
        if (row?.found) return;
        await tx`CREATE TABLE ${tx(this.#table)} (
          key text COLLATE "C" PRIMARY KEY, value text NOT NULL, expires_at timestamptz)`;
      })
      .then(() => undefined)
      .catch((error: unknown) => {
        this.#ready = undefined; // let the next call try again
        throw error;
      });
    return this.#ready;
  }

  async #query(
    operation: string,
    build: (sql: Sql, table: postgres.Helper<string>) => postgres.PendingQuery<postgres.Row[]>,
  ) {
    try {
      await this.#init();
      return await build(this.#sql, this.#sql(this.#table));
    } catch (error) {
      throw storeFailure("postgres", operation, error);
    }
  }

  async #write(
    operation: string,
    build: (sql: Sql, table: postgres.Helper<string>) => postgres.PendingQuery<postgres.Row[]>,
  ) {
    const result = await this.#query(operation, build);
    const now = Date.now();
    if (now - this.#lastSweep >= this.#sweepIntervalMs) {
      this.#lastSweep = now;
      // Best effort: the write above is committed, so a failed clean-up must not report it failed.
      await this.#query(
        "sweep",
        (sql, t) => sql`DELETE FROM ${t} WHERE expires_at <= clock_timestamp()`,
      ).catch(() => {
        this.#lastSweep = 0; // try again on the next write
      });
    }
    return result;
  }
}

function live(sql: Sql) {
  return sql`(expires_at IS NULL OR expires_at > clock_timestamp())`;
}

function expiresAt(sql: Sql, ttlMs: number | null) {
  return sql`clock_timestamp() + ${ttlMs}::float8 * interval '1 millisecond'`;
}

function upsert(sql: Sql, table: postgres.Helper<string>, key: string, value: string, ttlMs: number | null) {
  return sql`INSERT INTO ${table} AS ${table} (key, value, expires_at) VALUES (${key}, ${value}, ${expiresAt(sql, ttlMs)})
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`;
}
