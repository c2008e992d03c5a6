/**
 * `@x402kit/storage/sqlite`: {@link SqliteStore}, a KeyValueStore in a SQLite file
 * (better-sqlite3 12, install it yourself: `npm i better-sqlite3`).
 *
 * @packageDocumentation
 */
export { SqliteStore, type SqliteStoreOptions } from "./sqliteStore.js";
