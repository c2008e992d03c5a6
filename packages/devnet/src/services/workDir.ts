import { rmSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Temporary directories of running services. Whatever stop() did not remove is removed when
 * this process exits (after the exit hook of processCleanup has signalled the servers).
 */
const live = new Set<string>();

function removeAll(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

/** A new temporary directory, owned by `user` when given, removed on exit if still there. */
export async function makeWorkDir(name: string, user?: { uid: number; gid: number }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `x402kit-${name}-`));
  if (user) await chown(dir, user.uid, user.gid);
  if (live.size === 0) process.on("exit", removeAll);
  live.add(dir);
  return dir;
}

/** Removes a directory made by {@link makeWorkDir}. */
export async function removeWorkDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  if (live.delete(dir) && live.size === 0) process.off("exit", removeAll);
}
