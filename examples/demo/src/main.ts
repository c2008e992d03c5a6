import { runDemo } from "./demo.js";
import { consoleLog } from "./steps.js";

// `pnpm demo`: run the main job once; Ctrl-C stops everything it started.
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping…`);
    controller.abort();
    setTimeout(() => process.exit(130), 2000).unref();
  });
}

try {
  await runDemo(consoleLog(), controller.signal);
  console.log("\nDone: everything that was started has been stopped.");
} catch (error) {
  console.error("\nDemo failed:", error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
