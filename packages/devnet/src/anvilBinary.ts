import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Finds the anvil executable. `X402KIT_ANVIL_BIN` wins; otherwise the binary shipped in
 * `@foundry-rs/anvil`'s platform package (e.g. `@foundry-rs/anvil-linux-amd64/bin/anvil`).
 * The wrapper's own `bin.mjs` is skipped on purpose: it adds a Node process between us and anvil,
 * and killing that would leave anvil running.
 *
 * @example
 * const path = resolveAnvilBinary(); // ".../@foundry-rs/anvil-linux-amd64/bin/anvil"
 */
export function resolveAnvilBinary(): string {
  const fromEnv = process.env.X402KIT_ANVIL_BIN;
  if (fromEnv) return fromEnv;

  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${arch}`;
  // The platform package is an optional dependency of @foundry-rs/anvil, so resolve from there.
  const anvilRequire = createRequire(
    createRequire(import.meta.url).resolve("@foundry-rs/anvil/package.json"),
  );
  let packageJson: string;
  try {
    packageJson = anvilRequire.resolve(`${platformPackage}/package.json`);
  } catch {
    throw new Error(
      `anvil binary not found: ${platformPackage} is not installed (platform ${process.platform}/${process.arch}). ` +
        "Install @foundry-rs/anvil with optional dependencies, or set X402KIT_ANVIL_BIN.",
    );
  }
  const binary = join(dirname(packageJson), "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
  if (!existsSync(binary)) throw new Error(`anvil binary missing at ${binary}`);
  return binary;
}
