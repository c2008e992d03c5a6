/**
 * `@x402kit/storage/postgres`: {@link PostgresStore}, a KeyValueStore in PostgreSQL (the
 * `postgres` driver 3.4+, install it yourself: `npm i postgres`).
 *
 * @packageDocumentation
 */
export { PostgresStore, type PostgresStoreOptions } from "./postgresStore.js";
