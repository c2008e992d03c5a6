import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";

/** A worker running inside workerd on a loopback port. */
export interface RunningWorker {
  url: string;
  port: number;
  /** What the worker wrote to stdout/stderr so far (console.log / console.error). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Run an ES-module worker in workerd (through miniflare) with no compatibility flags: no
 * `nodejs_compat`, so `process`, `Buffer` and `node:*` do not exist in it. Outbound `fetch`
 * goes to the network (loopback included), as it would from a deployed worker.
 */
export async function runWorker(code: string): Promise<RunningWorker> {
  let output = "";
  const collect = (stream: Readable) => {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      output += chunk;
    });
  };
  const mf = new Miniflare({
    modules: true,
    script: code,
    compatibilityDate: "2026-04-01",
    host: "127.0.0.1",
    port: 0,
    handleRuntimeStdio(stdout, stderr) {
      collect(stdout);
      collect(stderr);
    },
  });
  let url: URL;
  try {
    url = await mf.ready;
  } catch (error) {
    await mf.dispose().catch(() => {});
    throw new Error(`workerd did not start: ${output.trim() || String(error)}`, { cause: error });
  }
  return {
    url: url.origin,
    port: Number(url.port),
    output: () => output,
    stop: () => mf.dispose(),
  };
}
