import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { resolveAnvilBinary } from "./anvilBinary.js";
import { waitUntilReady } from "./anvilReady.js";
import { DEFAULT_MNEMONIC, DEVNET_CHAIN_ID } from "./constants.js";
import { getFreePort } from "./freePort.js";
import { trackChild, untrackChild } from "./processCleanup.js";

/** Options for {@link startAnvil}. Every field is optional. */
export interface AnvilOptions {
  /** Port on 127.0.0.1. Default: a free port chosen by the OS. */
  port?: number;
  /** Default 31337. */
  chainId?: number;
  /** Mnemonic for the dev accounts. Default: {@link DEFAULT_MNEMONIC}. */
  mnemonic?: string;
  /** Number of dev accounts. Default 10. */
  accounts?: number;
  /** Ether per dev account. Default 10000. */
  balance?: number;
  /** Seconds between blocks. Default: none (a block per transaction, "automine"). */
  blockTime?: number;
  /** Extra command-line flags, appended as given (e.g. `["--hardfork", "cancun"]`). */
  args?: readonly string[];
  /** Path to the anvil executable. Default: {@link resolveAnvilBinary}. */
  binary?: string;
  /** How long to wait for JSON-RPC to answer. Default 15000 ms. */
  startupTimeoutMs?: number;
}

/** A dev account of the running node. The keys derive from a public mnemonic: test use only. */
export interface AnvilAccount {
  address: Address;
  privateKey: Hex;
}

/** How the anvil process ended. */
export interface AnvilExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running anvil. */
export interface AnvilInstance {
  /** `http://127.0.0.1:<port>` */
  rpcUrl: string;
  chainId: number;
  port: number;
  pid: number;
  /** The dev accounts, in anvil's order (index 0 first). */
  accounts: readonly AnvilAccount[];
  /** Settles when the process has exited, whether through {@link AnvilInstance.stop} or not. */
  exited: Promise<AnvilExit>;
  /** Kills the process and waits for it to exit. Safe to call more than once. */
  stop(): Promise<void>;
}

/** anvil exited because the port was taken between our probe and its bind. */
class PortInUseError extends Error {}

const STDERR_LIMIT = 8_000;
const STOP_GRACE_MS = 5_000;

/**
 * Starts anvil on 127.0.0.1 and resolves once its JSON-RPC answers `eth_chainId`.
 * The process is killed when this Node process exits or gets SIGINT/SIGTERM, even if you
 * forget {@link AnvilInstance.stop}, and it does not keep Node's event loop alive.
 *
 * @example
 * const anvil = await startAnvil();
 * try {
 *   console.log(anvil.rpcUrl, anvil.accounts[0]?.address);
 * } finally {
 *   await anvil.stop();
 * }
 */
export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilInstance> {
  try {
    return await launch(options.port ?? (await getFreePort()), options);
  } catch (error) {
    // Only a port we picked ourselves can have been stolen; a fixed port is the caller's choice.
    if (!(error instanceof PortInUseError) || options.port !== undefined) throw error;
    return launch(await getFreePort(), options);
  }
}

async function launch(port: number, options: AnvilOptions): Promise<AnvilInstance> {
  const chainId = options.chainId ?? DEVNET_CHAIN_ID;
  const binary = options.binary ?? resolveAnvilBinary();
  // anvil writes this file only after binding its port, so finding it proves the RPC endpoint
  // is ours and not another node that happens to hold the same port.
  const workDir = await mkdtemp(join(tmpdir(), "x402kit-anvil-"));
  const configOut = join(workDir, "anvil.json");
  const args = [
    ...["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId), "--silent"],
    ...["--mnemonic", options.mnemonic ?? DEFAULT_MNEMONIC, "--accounts", String(options.accounts ?? 10)],
    ...["--balance", String(options.balance ?? 10_000), "--config-out", configOut],
    ...(options.blockTime === undefined ? [] : ["--block-time", String(options.blockTime)]),
    ...(options.args ?? []),
  ];

  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  trackChild(child);
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_LIMIT);
  });
  let exit: AnvilExit | undefined;
  const exited = new Promise<AnvilExit>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      exit ??= { code, signal };
      untrackChild(child);
      resolve(exit);
    };
    child.once("exit", done);
    // Spawn failures (ENOENT, EACCES) emit "error" and may never emit "exit".
    child.once("error", (error) => {
      stderr += `\n${error.message}`;
      done(null, null);
    });
  });

  const rpcUrl = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= terminate(child, exited, () => exit !== undefined);
    return stopping;
  };

  try {
    const timeoutMs = options.startupTimeoutMs ?? 15_000;
    const accounts = await waitUntilReady({ rpcUrl, chainId, configOut, timeoutMs, hasExited: () => exit });
    // Let a parent that never calls stop() still exit; the exit hook then kills anvil.
    child.unref();
    (child.stderr as { unref?: () => void } | null)?.unref?.();
    return { rpcUrl, chainId, port, pid: child.pid ?? -1, accounts, exited, stop };
  } catch (error) {
    await stop();
    const detail = stderr.trim() ? `\nanvil stderr:\n${stderr.trim()}` : "";
    // The command line helps debugging; the mnemonic is left out in case it is not the public one.
    const command = args.map((arg, i) => (args[i - 1] === "--mnemonic" ? "<mnemonic>" : arg)).join(" ");
    const message = `${(error as Error).message} (${binary} ${command})${detail}`;
    if (/address already in use|os error 98|EADDRINUSE/i.test(stderr)) throw new PortInUseError(message);
    throw new Error(message);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function terminate(child: ChildProcess, exited: Promise<AnvilExit>, hasExited: () => boolean) {
  if (hasExited()) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
