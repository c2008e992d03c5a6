import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "tsup";

/**
 * The one build preset. Every package builds with `tsup --config ../../tsup.config.ts`;
 * entry points are read from the package's own `exports` map (the `@x402kit/source`
 * condition names the source file), so adding a subpath needs no build config.
 */
type ExportEntry = { "@x402kit/source"?: string };
const pkg = JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as {
  exports?: Record<string, ExportEntry>;
  bin?: Record<string, string>;
};

const entry: Record<string, string> = {};
for (const target of Object.values(pkg.exports ?? {})) {
  const source = typeof target === "object" ? target["@x402kit/source"] : undefined;
  if (!source) continue;
  entry[source.replace(/^\.\/src\//, "").replace(/\.ts$/, "")] = source;
}
for (const bin of Object.values(pkg.bin ?? {})) {
  const source = bin.replace(/^\.\/dist\//, "./src/").replace(/\.js$/, ".ts");
  entry[source.replace(/^\.\/src\//, "").replace(/\.ts$/, "")] = source;
}

export default defineConfig({
  entry,
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: true,
  clean: true,
  sourcemap: true,
  splitting: true,
  treeshake: true,
});
