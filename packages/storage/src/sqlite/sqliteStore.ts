import {
  type KeyValueStore,
  type StoreEntry,
  type StoreWriteOptions,
  storeTtlMs,
} from "@x402kit/core/storage";
import Database from "better-sqlite3";
import { checkTableName, prefixUpperBound, storeFailure } from "../storeFailure.js";

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** Table holding the entries, created if missing. Default `x402kit_kv`. */
  table?: string;
  /** A write deletes all expired rows at most once per this many milliseconds. Default 60000. */
  sweepIntervalMs?: number;
  /** How long a write waits for another process's lock on the file. Default 5000 ms. */
  busyTimeoutMs?: number;
}

type Statement = Database.Statement<unknown[], unknown>;

const LIVE = "(expires_at IS NULL OR expires_at > @now)";

/**
 * A {@link KeyValueStore} in a SQLite file: the embedded default for one durable node. Every
 * method is a single statement, so it is atomic across all processes that open the same file
 * (WAL mode, writers wait for each other up to `busyTimeoutMs`). Expiry uses this machine's
 * clock, which all those processes share.
 *
 * Pass a file path, `":memory:"` (one connection only, nothing shared), or an open
 * better-sqlite3 `Database` (then `close()` leaves it open: it is yours).
 *
 * @example
 * ```ts
 * import { SqliteStore } from "@x402kit/storage/sqlite";
 * const store = new SqliteStore("./x402kit.db");
 * if (await store.claim("settle:0xabc", "pending", { ttlMs: 600_000 })) { ... }
 * await store.close();
 * ```
 */
export class SqliteStore implements KeyValueStore {
  readonly #db: Database.Database;
  readonly #ownsDb: boolean;
  readonly #sweepIntervalMs: number;
  #lastSweep = Date.now();
  readonly #sql: Record<
    "get" | "set" | "claim" | "replace" | "remove" | "isAbsent" | "delete" | "sweep",
    Statement
  >;
  readonly #listAll: Statement;
  readonly #listRange: Statement;

  constructor(database: string | Database.Database, options: SqliteStoreOptions = {}) {
    const table = checkTableName(options.table ?? "x402kit_kv");
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.#ownsDb = typeof database === "string";
    try {
      this.#db =
        typeof database === "string"
          ? new Database(database, { timeout: options.busyTimeoutMs ?? 5_000 })
          : database;
      if (this.#ownsDb && !this.#db.memory) this.#db.pragma("journal_mode = WAL");
      this.#db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, expires_at INTEGER) WITHOUT ROWID`,
      );
      const upsert = `INSERT INTO ${table} (key, value, expires_at) VALUES (@key, @value, @expiresAt)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`;
      const prepare = (sql: string) => this.#db.prepare(sql);
      this.#sql = {
        get: prepare(`SELECT value FROM ${table} WHERE key = @key AND ${LIVE}`),
        set: prepare(upsert),
        // The conflict branch only fires over an expired row: a live one makes this a no-op.
        claim: prepare(`${upsert} WHERE ${table}.expires_at IS NOT NULL AND ${table}.expires_at <= @now`),
        replace: prepare(
          `UPDATE ${table} SET value = @value, expires_at = @expiresAt WHERE key = @key AND value = @expected AND ${LIVE}`,
        ),
        remove: prepare(`DELETE FROM ${table} WHERE key = @key AND value = @expected AND ${LIVE}`),
        isAbsent: prepare(
          `SELECT NOT EXISTS (SELECT 1 FROM ${table} WHERE key = @key AND ${LIVE}) AS absent`,
        ),
        delete: prepare(`DELETE FROM ${table} WHERE key = @key`),
        sweep: prepare(`DELETE FROM ${table} WHERE expires_at <= @now`),
      };
      this.#listAll = prepare(
        `SELECT key, value FROM ${table} WHERE key >= @prefix AND ${LIVE} ORDER BY key`,
      );
      this.#listRange = prepare(
        `SELECT key, value FROM ${table} WHERE key >= @prefix AND key < @bound AND ${LIVE} ORDER BY key`,
      );
    } catch (error) {
      throw storeFailure("sqlite", "open", error);
    }
  }

  async get(key: string): Promise<string | undefined> {
    const row = this.#run("get", () => this.#sql.get.get({ key, now: Date.now() })) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  async set(key: string, value: string, options?: StoreWriteOptions): Promise<void> {
    const expiresAt = expiry(options);
    this.#write("set", () => this.#sql.set.run({ key, value, expiresAt }));
  }

  async claim(key: string, value: string, options?: StoreWriteOptions): Promise<boolean> {
    const expiresAt = expiry(options);
    return this.#write(
      "claim",
      () => this.#sql.claim.run({ key, value, expiresAt, now: Date.now() }).changes === 1,
    );
  }

  async compareAndSet(
    key: string,
    expected: string | undefined,
    value: string | undefined,
    options?: StoreWriteOptions,
  ): Promise<boolean> {
    const expiresAt = expiry(options);
    const now = Date.now();
    if (expected === undefined && value === undefined) {
      const row = this.#run("compareAndSet", () => this.#sql.isAbsent.get({ key, now })) as {
        absent: number;
      };
      return row.absent === 1;
    }
    if (expected === undefined) return this.claim(key, value as string, options);
    const statement = value === undefined ? this.#sql.remove : this.#sql.replace;
    const params = value === undefined ? { key, expected, now } : { key, expected, value, expiresAt, now };
    return this.#write("compareAndSet", () => statement.run(params).changes === 1);
  }

  async delete(key: string): Promise<void> {
    this.#run("delete", () => this.#sql.delete.run({ key }));
  }

  async list(prefix: string): Promise<StoreEntry[]> {
    const bound = prefixUpperBound(prefix);
    const now = Date.now();
    return this.#run("list", () =>
      bound === undefined ? this.#listAll.all({ prefix, now }) : this.#listRange.all({ prefix, bound, now }),
    ) as StoreEntry[];
  }

  /** Closes the database if this store opened it (a `Database` you passed in stays open). */
  async close(): Promise<void> {
    if (this.#ownsDb && this.#db.open) this.#db.close();
  }

  #run<T>(operation: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw storeFailure("sqlite", operation, error);
    }
  }

  #write<T>(operation: string, run: () => T): T {
    const result = this.#run(operation, run);
    const now = Date.now();
    if (now - this.#lastSweep >= this.#sweepIntervalMs) {
      this.#lastSweep = now;
      // Best effort: the write above is committed, so a failed clean-up must not report it failed.
      try {
        this.#sql.sweep.run({ now });
      } catch {
        this.#lastSweep = 0; // try again on the next write
      }
    }
    return result;
  }
}

/** Epoch ms of expiry, or null for none. */
function expiry(options: StoreWriteOptions | undefined): number | null {
  const ttl = storeTtlMs(options);
  return ttl === undefined ? null : Date.now() + ttl;
}
