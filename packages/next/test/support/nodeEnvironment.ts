import { AsyncLocalStorage } from "node:async_hooks";

// `next start` installs this global before loading any Next module; a test that imports
// `next/server` (through the package under test) before starting Next must do the same.
(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
