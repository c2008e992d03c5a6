export type { KeyValueStore, StoreEntry, StoreWriteOptions } from "./keyValueStore.js";
