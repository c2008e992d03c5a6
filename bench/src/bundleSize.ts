import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import type { Side } from "./presign.js";

export interface BundleSize {
  minifiedBytes: number;
  gzipBytes: number;
}

/**
 * Bundle `entries/<side>.ts` as a browser app would: ESM, minified, tree-shaken, every
 * dependency (viem, zod, valibot, …) inlined. Our packages resolve to their TypeScript
 * sources through the `@x402kit/source` condition (the official ones have no such
 * condition and resolve to their published ESM builds).
 */
export async function measureBundle(side: Side): Promise<BundleSize> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./entries/${side}.ts`, import.meta.url))],
    bundle: true,
    write: false,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    treeShaking: true,
    conditions: ["@x402kit/source"],
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "error",
  });
  const code = result.outputFiles[0]!.contents;
  return { minifiedBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}
