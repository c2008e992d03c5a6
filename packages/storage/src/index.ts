/**
 * `@x402kit/storage`: durable, shared {@link KeyValueStore} backends. Each lives in its own
 * subpath so only its driver is loaded: `@x402kit/storage/sqlite` (better-sqlite3),
 * `@x402kit/storage/redis` (ioredis), `@x402kit/storage/postgres` (postgres). This entry
 * re-exports the interface and the in-process `MemoryStore` from `@x402kit/core/storage`.
 *
 * @packageDocumentation
 */
export {
  type KeyValueStore,
  MemoryStore,
  type MemoryStoreOptions,
  type StoreEntry,
  type StoreWriteOptions,
  storeTtlMs,
} from "@x402kit/core/storage";
