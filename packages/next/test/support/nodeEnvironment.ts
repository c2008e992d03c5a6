import { AsyncLocalStorage } from "node:async_hooks";

const globals = globalThis as { AsyncLocalStorage?: unknown; [key: symbol]: unknown };
// `next start` installs this global before loading any Next module; a test that imports
// `next/server` (through the package under test) before starting Next must do the same.
globals.AsyncLocalStorage ??= AsyncLocalStorage;
// Next replaces the process's global `fetch` with its caching fetch. In a test the paying
// clients share the process with the server, and a cancelled body of that fetch never
// settles; keep Node's own fetch (Next skips patching when this flag is set).
globals[Symbol.for("next-patch")] = true;
