import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createSolanaRpc } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { SOLANA_DEVNET_GENESIS_HASH } from "../src/solana/index.js";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

describe("x402kit-devnet --solana", () => {
  it("starts the Solana chain beside anvil, prints it in --json, and stops both on Ctrl-C", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", cli, "--solana", "--json"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      for (let waited = 0; !stdout.includes("\n"); waited += 50) {
        if (waited > 60_000 || child.exitCode !== null) throw new Error(`no output: ${stdout}${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const info = JSON.parse(stdout.trim());
      expect(info.network).toBe("eip155:31337");
      expect(info.solana).toMatchObject({
        network: "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
        usdc: { decimals: 6, tokenProgram: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA" },
        usdc2022: { decimals: 6, tokenProgram: "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb" },
      });
      const rpc = createSolanaRpc(info.solana.rpcUrl);
      expect(await rpc.getGenesisHash().send()).toBe(SOLANA_DEVNET_GENESIS_HASH);
      expect((await rpc.getBalance(info.solana.accounts.payer.address).send()).value).toBe(100_000_000_000n);
      child.kill("SIGINT");
      expect(await exit).toBe(0);
      await expect(rpc.getHealth().send()).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
