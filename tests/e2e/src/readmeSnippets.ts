import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** Where the rewritten snippets are written (inside tests/e2e, so `@x402kit/*` resolves). */
const outDir = join(here, "..", ".readme");

/**
 * The `n`-th TypeScript code block of an official package's README, as published on npm.
 * @example
 * ```ts
 * const quickStart = readmeBlock("@x402/express", 0);
 * ```
 */
export function readmeBlock(pkg: string, n: number): string {
  // The official packages are dev dependencies of this package (their exports hide package.json).
  const readme = readFileSync(join(here, "..", "node_modules", pkg, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```typescript\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  const block = blocks[n];
  if (block === undefined) throw new Error(`${pkg} README has no typescript block #${n}`);
  return block;
}

/**
 * The drop-in switch a user makes (`@x402/` → `@x402kit/`), plus the placeholders every
 * README leaves to the reader (URLs, keys, networks). Each replacement must apply, so a
 * README that changes under us fails loudly instead of silently testing less.
 */
export function adaptSnippet(code: string, replacements: ReadonlyArray<[string | RegExp, string]>): string {
  let adapted = code.replaceAll("@x402/", "@x402kit/");
  for (const [from, to] of replacements) {
    const next = adapted.replace(from instanceof RegExp ? from : new RegExp(escapeRegExp(from), "g"), to);
    if (next === adapted) throw new Error(`README snippet no longer contains ${String(from)}`);
    adapted = next;
  }
  return adapted;
}

/** Write `preamble + code` as a module and import it (top-level await runs the snippet). */
export async function runSnippet<T = Record<string, unknown>>(
  name: string,
  preamble: string,
  code: string,
): Promise<T> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name}.ts`);
  writeFileSync(file, `${preamble}\n${code}\n`);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
