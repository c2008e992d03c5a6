#!/usr/bin/env node
/**
 * `x402kit-facilitator [--config file] [--port n] [--host h] [--store spec] [--plugin module]`
 * — run a facilitator service (`--help` lists every option and environment variable).
 * Stops cleanly on SIGINT / SIGTERM (requests in flight finish first); a second signal
 * exits at once.
 */
import { isX402Error } from "@x402kit/core";
import { runFacilitatorCli } from "./cli/runFacilitatorCli.js";

try {
  const service = await runFacilitatorCli(process.argv.slice(2), { env: process.env, print: console.log });
  if (service) {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(1);
      stopping = true;
      console.log(`${signal}: stopping after requests in flight…`);
      service.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
  }
} catch (error) {
  // Configuration errors are for the operator: the message, not a stack trace.
  console.error(`x402kit-facilitator: ${error instanceof Error ? error.message : String(error)}`);
  // System errors (EADDRINUSE, EACCES…) explain themselves; anything else is a bug worth a stack.
  const explained = isX402Error(error) || (error instanceof Error && "code" in error);
  if (!explained && error instanceof Error && error.stack) console.error(error.stack);
  process.exit(isX402Error(error, "invalid_facilitator_config") ? 2 : 1);
}
