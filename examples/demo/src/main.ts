import { CHAIN_DEMOS, chainsFromArgs } from "./chooseChain.js";
import { consoleLog } from "./steps.js";

// `pnpm demo [--chain evm|solana|stellar|aptos|all]`: run the main job once per chain;
// Ctrl-C stops everything it started.
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping…`);
    controller.abort();
    setTimeout(() => process.exit(130), 2000).unref();
  });
}

try {
  for (const chain of chainsFromArgs(process.argv.slice(2))) {
    console.log(`\n=== ${chain} ===`);
    await CHAIN_DEMOS[chain]?.(consoleLog(), controller.signal);
  }
  console.log("\nDone: everything that was started has been stopped.");
} catch (error) {
  console.error("\nDemo failed:", error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
