export type { KeyValueStore, StoreEntry, StoreWriteOptions } from "./keyValueStore.js";
export { MemoryStore, type MemoryStoreOptions } from "./memoryStore.js";
export { storeTtlMs } from "./ttl.js";
