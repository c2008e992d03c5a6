import type { KeyValueStore } from "@x402kit/core/storage";
import { MemoryStore } from "@x402kit/core/storage";
import { configError } from "../config/configError.js";

/**
 * Check a store spec: `memory`, `sqlite:<path>`, `redis://…`, `rediss://…`, `postgres://…`
 * or `postgresql://…`.
 *
 * @throws {X402Error} `invalid_facilitator_config` for anything else.
 * @example
 * ```ts
 * checkStoreSpec("sqlite:./facilitator.db", "store"); // "sqlite:./facilitator.db"
 * ```
 */
export function checkStoreSpec(value: unknown, field: string): string {
  if (typeof value !== "string" || !/^(memory$|sqlite:.+|rediss?:\/\/.+|postgres(ql)?:\/\/.+)/.test(value))
    throw configError(field, "must be memory, sqlite:<path>, redis://… or postgres://…");
  return value;
}

/**
 * Open the store a spec names. The backends come from `@x402kit/storage` subpaths imported on
 * demand, so only the driver in use (better-sqlite3, ioredis, postgres) must be installed.
 *
 * @throws {X402Error} `invalid_facilitator_config` for a bad spec or a backend that cannot be loaded.
 * @example
 * ```ts
 * const store = await createStore("redis://127.0.0.1:6379");
 * ```
 */
export async function createStore(spec: string, field = "store"): Promise<KeyValueStore> {
  checkStoreSpec(spec, field);
  if (spec === "memory") return new MemoryStore();
  const [subpath, exportName, target] = spec.startsWith("sqlite:")
    ? ["sqlite", "SqliteStore", spec.slice("sqlite:".length)]
    : spec.startsWith("redis")
      ? ["redis", "RedisStore", spec]
      : ["postgres", "PostgresStore", spec];
  const specifier = `@x402kit/storage/${subpath}`;
  let Store: new (target: string) => KeyValueStore;
  try {
    const module = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
    Store = module[exportName] as typeof Store;
  } catch (error) {
    throw configError(field, `cannot load ${specifier} (install @x402kit/storage and its driver)`, error);
  }
  try {
    return new Store(target);
  } catch (error) {
    throw configError(
      field,
      `cannot open the ${subpath} store: ${String((error as Error).message).replaceAll(target, "…")}`,
      error,
    );
  }
}
