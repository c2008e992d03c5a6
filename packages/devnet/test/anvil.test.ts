import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { mnemonicToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { DEFAULT_MNEMONIC, getFreePort, startAnvil } from "../src/index.js";
import { isPortOpen, isRunning } from "./helpers.js";

async function rpc(url: string, method: string): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
  });
  return ((await response.json()) as { result: unknown }).result;
}

describe("startAnvil", () => {
  it("answers JSON-RPC with the requested chain id and exposes the mnemonic's accounts", async () => {
    const anvil = await startAnvil({ chainId: 84532, accounts: 5 });
    try {
      expect(anvil.rpcUrl).toBe(`http://127.0.0.1:${anvil.port}`);
      expect(anvil.chainId).toBe(84532);
      expect(await rpc(anvil.rpcUrl, "eth_chainId")).toBe("0x14a34");
      expect(anvil.accounts).toHaveLength(5);
      const derived = mnemonicToAccount(DEFAULT_MNEMONIC, { addressIndex: 3 });
      expect(anvil.accounts[3]?.address).toBe(derived.address);
      expect(anvil.accounts[3]?.privateKey).toBe(
        `0x${Buffer.from(derived.getHdKey().privateKey!).toString("hex")}`,
      );
    } finally {
      await anvil.stop();
    }
    expect(await isPortOpen(anvil.port)).toBe(false);
    expect(isRunning(anvil.pid)).toBe(false);
  });

  it("fails clearly, with anvil's stderr, when a fixed port is taken", async () => {
    const server = createServer();
    const port = await getFreePort();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      await expect(startAnvil({ port })).rejects.toThrow(/Address already in use/);
    } finally {
      server.close();
    }
  });

  it("fails clearly when the binary cannot be started", async () => {
    await expect(startAnvil({ binary: "/nonexistent/anvil" })).rejects.toThrow(/ENOENT/);
  });
});

describe.concurrent("cleanup when the parent goes away", () => {
  const fixture = fileURLToPath(new URL("./fixtures/orphan.ts", import.meta.url));

  /** Runs the fixture; `started` resolves with the {pid, port} lines it prints. */
  function runParent(mode: string, anvils: number) {
    const child = spawn(process.execPath, ["--import", "tsx", fixture, mode], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const started = new Promise<{ pid: number; port: number }[]>((resolve, reject) => {
      let out = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        out += chunk;
        const lines = out.split("\n").filter(Boolean);
        if (lines.length >= anvils) resolve(lines.map((line) => JSON.parse(line)));
      });
      child.once("exit", () => reject(new Error(`parent exited early: ${out}`)));
    });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    return { child, started, exit };
  }

  async function expectGone({ pid }: { pid: number }) {
    // The hook sends SIGTERM on the way out; give anvil a moment to finish.
    for (let i = 0; i < 100 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 20));
    // A dead process holds no listening socket. (The port itself is not checked: once freed,
    // another test file running in parallel may already listen on it.)
    expect(isRunning(pid)).toBe(false);
  }

  it("on SIGINT with an app handler: kills anvil, leaves the exit to the app; on exit: kills anvil", async () => {
    const parent = runParent("own-handler", 2);
    const [first, second] = await parent.started;
    // The parent survived its SIGINT (its own handler ran) and went on to start a second anvil.
    expect(await parent.exit).toEqual({ code: 0, signal: null });
    await expectGone(first!);
    await expectGone(second!);
  });

  it("on SIGTERM without an app handler: kills anvil and the parent still dies of the signal", async () => {
    const parent = runParent("wait", 1);
    const [anvil] = await parent.started;
    expect(isRunning(anvil!.pid)).toBe(true);
    parent.child.kill("SIGTERM");
    expect(await parent.exit).toEqual({ code: null, signal: "SIGTERM" });
    await expectGone(anvil!);
  });
});
