import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createPublicClient, getAddress, http } from "viem";
import { describe, expect, it } from "vitest";
import { DEFAULT_FUNDING_AMOUNT, testUsdcAbi } from "../src/index.js";
import { isPortOpen } from "./helpers.js";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const FUNDED = getAddress("0x209693Bc6afc0C5328bA36FaF03C514EF312287C");

/** Starts the CLI and resolves with its stdout once `ready(stdout)` holds. */
function runCli(args: string[], ready: (stdout: string) => boolean) {
  const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stderr })),
  );
  const output = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      if (ready(stdout)) resolve(stdout);
    });
    child.once("exit", () => reject(new Error(`CLI exited early: ${stdout}${stderr}`)));
  });
  return { child, output, exit };
}

describe.concurrent("x402kit-devnet CLI", () => {
  it("--json prints one JSON line, serves the chain, and stops anvil on Ctrl-C", async () => {
    const run = runCli(["--json", "--fund", FUNDED, "--amount", "2.5"], (out) => out.includes("\n"));
    const info = JSON.parse((await run.output).trim());
    expect(info).toMatchObject({
      chainId: 31337,
      network: "eip155:31337",
      usdc: { name: "USD Coin", decimals: 6 },
    });
    expect(info.accounts.payer.privateKey).toMatch(/^0x[0-9a-f]{64}$/);
    expect(info.note).toMatch(/PUBLIC test keys/);

    const client = createPublicClient({ transport: http(info.rpcUrl) });
    const balanceOf = (address: `0x${string}`) =>
      client.readContract({
        address: info.usdc.address,
        abi: testUsdcAbi,
        functionName: "balanceOf",
        args: [address],
      });
    expect(await balanceOf(FUNDED)).toBe(2_500_000n);
    expect(await balanceOf(info.accounts.payer.address)).toBe(DEFAULT_FUNDING_AMOUNT);

    run.child.kill("SIGINT");
    expect((await run.exit).code).toBe(0);
    expect(await isPortOpen(Number(new URL(info.rpcUrl).port))).toBe(false);
  });

  it("prints a readable summary with the keys marked as public test keys", async () => {
    const run = runCli([], (out) => out.includes("other "));
    const text = await run.output;
    expect(text).toMatch(/RPC URL\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(text).toMatch(/Network\s+eip155:31337/);
    expect(text).toContain("PUBLIC TEST KEYS");
    expect(text).toContain("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    run.child.kill("SIGTERM");
    expect((await run.exit).code).toBe(0);
  });
});
