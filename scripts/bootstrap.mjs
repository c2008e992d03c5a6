// `pnpm run bootstrap`: install the workspace, then run the demo (a paid request settled on a
// local chain). It exists for one reason: better-sqlite3 is compiled by node-gyp when no
// prebuilt binary can be downloaded (this environment reaches only the npm registry), and
// node-gyp must then be pointed at the running Node's own headers (`npm_config_nodedir`),
// which pnpm does not take from `.npmrc`. Plain Node, no dependencies: it runs before install.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

const prefix = dirname(dirname(process.execPath));
const env = { ...process.env };
if (!env.npm_config_nodedir && existsSync(join(prefix, "include", "node", "node.h")))
  env.npm_config_nodedir = prefix;

for (const args of [["install", "--frozen-lockfile"], ["demo"]]) {
  const { status } = spawnSync("pnpm", args, { stdio: "inherit", env });
  if (status !== 0) process.exit(status ?? 1);
}
