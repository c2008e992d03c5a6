import { type ChildProcess, execFile, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { createFacilitatorFromConfig, startFacilitatorServer } from "@x402kit/facilitator";

/** Each route's price: 0.01 test USDC (6 decimals). */
export const PRICE_ATOMIC = 10_000n;

const SITE = join(dirname(fileURLToPath(import.meta.url)), "..", "site");
const NEXT_BIN = join(SITE, "..", "node_modules", "next", "dist", "bin", "next");

/** The running example: anvil, our facilitator service and the Next.js site (`next start`). */
export interface LocalStack {
  devnet: Devnet;
  facilitatorUrl: string;
  apiUrl: string;
  stop(): Promise<void>;
}

/**
 * Start anvil with a test USDC and our facilitator service, then build the site
 * (`next build`, ~20 s) and serve it with `next start` on `port` — the way it would run in
 * production, with the chain's coordinates in its environment. `stop()` stops all three.
 */
export async function startLocalStack(port = 4021): Promise<LocalStack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    const devnet = await startDevnet();
    stops.push(() => devnet.stop());
    const facilitator = await startFacilitatorServer(
      await createFacilitatorFromConfig({
        networks: { [devnet.network]: { rpcUrl: devnet.rpcUrl, pollingIntervalMs: 50 } },
        signerKey: devnet.accounts.facilitator.privateKey,
        port: 0,
        host: "127.0.0.1",
      }),
      { port: 0 },
    );
    stops.push(() => facilitator.close());

    const env = {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      X402_FACILITATOR_URL: facilitator.url,
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
    stops.push(() => kill(site));
    const apiUrl = await listening(site);
    return { devnet, facilitatorUrl: facilitator.url, apiUrl, stop };
  } catch (error) {
    await stop();
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
