import { runExample } from "./example.js";

// `pnpm start`: one paid GET and one paid POST on a local chain; everything started is stopped.
try {
  await runExample();
} catch (error) {
  console.error("\nExample failed:", error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
