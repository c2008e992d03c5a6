import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import type { WorkerConfig } from "./workerConfig.js";

/** The worker as workerd loads it: one ES module. */
export interface WorkerBundle {
  code: string;
  /** Every source file in the bundle (relative to the repository root). */
  inputs: string[];
}

const WORKER_ENTRY = fileURLToPath(new URL("./worker.ts", import.meta.url));

/** Refuses every `node:` import and every bare Node core module name, listing each in `found`. */
export function forbidNodeBuiltins(found: string[]): Plugin {
  const builtins = new Set(builtinModules);
  return {
    name: "forbid-node-builtins",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, ({ path, importer }) => {
        const bare = path.replace(/^node:/, "");
        if (!path.startsWith("node:") && !builtins.has(bare) && !builtins.has(bare.split("/")[0] ?? ""))
          return undefined;
        found.push(`${path} (imported by ${importer || "the entry"})`);
        return { errors: [{ text: `Node built-in "${path}" in an edge bundle` }] };
      });
    },
  };
}

/**
 * Bundle `src/worker.ts` for workerd: browser platform, ESM, our packages from their TypeScript
 * sources, `config` baked in. Any Node built-in anywhere in the graph fails the build.
 */
export async function bundleWorker(config: WorkerConfig, entry = WORKER_ENTRY): Promise<WorkerBundle> {
  const forbidden: string[] = [];
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["@x402kit/source", "workerd", "worker", "browser"],
    define: { __X402_CONFIG__: JSON.stringify(config) },
    logLevel: "silent",
    plugins: [forbidNodeBuiltins(forbidden)],
  }).catch((error: { errors?: Array<{ text: string }> }) => {
    throw new Error(
      `edge bundle failed: ${[...forbidden, ...(error.errors ?? []).map((e) => e.text)].join("; ")}`,
    );
  });
  const code = result.outputFiles[0]?.text;
  if (!code) throw new Error("edge bundle is empty");
  return { code, inputs: Object.keys(result.metafile.inputs) };
}
