import { accessSync, constants, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Thrown text when a server binary is missing: names the Debian package that provides it. */
export function missingBinary(what: string, aptPackage: string): Error {
  return new Error(
    `${what} not found: install the Debian package "${aptPackage}" (apt-get install -y ${aptPackage})`,
  );
}

/** The first executable `name` on PATH (or in `extraDirs`), or undefined. */
export function findOnPath(name: string, extraDirs: readonly string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...extraDirs];
  return dirs.map((dir) => join(dir, name)).find(isExecutable);
}

/**
 * The directory holding PostgreSQL's `initdb` and `postgres`: Debian keeps them in
 * /usr/lib/postgresql/<major>/bin, off PATH. The highest major version wins.
 */
export function findPostgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  let majors: string[] = [];
  try {
    majors = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  } catch {
    // not a Debian layout; fall back to PATH
  }
  const candidates = [...majors.map((major) => join(root, major, "bin"))];
  const onPath = findOnPath("initdb");
  if (onPath) candidates.push(onPath.slice(0, -"/initdb".length));
  return candidates.find(isPostgresBinDir);
}

/** True when `dir` holds executable `initdb` and `postgres`. */
export function isPostgresBinDir(dir: string): boolean {
  return isExecutable(join(dir, "initdb")) && isExecutable(join(dir, "postgres"));
}
