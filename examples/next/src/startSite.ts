import { type ChildProcess, execFile, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { ApiContext, RunningApi } from "@x402kit/example-shared";

const SITE = join(dirname(fileURLToPath(import.meta.url)), "..", "site");
const NEXT_BIN = join(SITE, "..", "node_modules", "next", "dist", "bin", "next");

/**
 * Build the site (`next build`, ~20 s) and serve it with `next start` on `port` — the way it would
 * run in production, with the chain's coordinates in its environment (`site/lib/payments.ts`
 * reads them). Next builds its own resource server there, so the one in `context` is unused.
 */
export async function startSite({ devnet, facilitatorUrl, port }: ApiContext): Promise<RunningApi> {
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    X402_FACILITATOR_URL: facilitatorUrl,
    X402_NETWORK: devnet.network,
    X402_PAY_TO: devnet.accounts.payTo.address,
    X402_ASSET: devnet.usdc.address,
    X402_ASSET_NAME: devnet.usdc.name,
    X402_ASSET_VERSION: devnet.usdc.version,
  };
  await promisify(execFile)(process.execPath, [NEXT_BIN, "build"], { cwd: SITE, env, maxBuffer: 1 << 24 });
  const site = spawn(process.execPath, [NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: SITE,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    return { url: await listening(site), stop: () => kill(site) };
  } catch (error) {
    await kill(site);
    throw error;
  }
}

/** The URL `next start` prints once it serves. */
function listening(site: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    site.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const url = /Local:\s+(http:\/\/\S+)/.exec(output)?.[1];
      if (url && /Ready/.test(output)) resolve(url.replace("localhost", "127.0.0.1"));
    });
    site.once("exit", (code) => reject(new Error(`next start exited (${code}): ${output}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
