import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { getFreePort } from "../freePort.js";
import { trackChild, untrackChild } from "../processCleanup.js";

/** A database server started for tests, listening on 127.0.0.1. */
export interface ServiceInstance {
  /** Connection URL, e.g. `redis://127.0.0.1:6390` or `postgres://postgres@127.0.0.1:5433/postgres`. */
  url: string;
  port: number;
  pid: number;
  /** Stops the server, waits for it to exit and removes its files. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The server exited because the port was taken between our probe and its bind. */
export class PortInUseError extends Error {}

export interface ServiceSpawn {
  name: string;
  binary: string;
  args: readonly string[];
  /** Run as this user (when Node runs as root). */
  user?: { uid: number; gid: number };
  /** A line of the server's output that says it accepts connections. */
  ready: RegExp;
  /** Output that means the port was already taken. */
  portInUse: RegExp;
  /** The signal that asks for a quick, clean shutdown. */
  stopSignal: NodeJS.Signals;
  timeoutMs: number;
}

const OUTPUT_LIMIT = 8_000;
const STOP_GRACE_MS = 5_000;

/** A started server process: `stop()` kills it and waits for its exit. */
export interface RunningService {
  pid: number;
  stop(): Promise<void>;
}

/**
 * Spawns a server in the foreground (so its pid is ours to kill), resolves when `ready`
 * appears in its output. Registered with the exit hook, so it dies with this process.
 */
export async function spawnService(spec: ServiceSpawn): Promise<RunningService> {
  const options: SpawnOptions = { stdio: ["ignore", "pipe", "pipe"], ...spec.user };
  const child = spawn(spec.binary, spec.args, options);
  trackChild(child);
  let output = "";
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    const done = () => {
      exited = true;
      untrackChild(child);
      resolve();
    };
    child.once("exit", done);
    // Spawn failures (ENOENT, EACCES) emit "error" and may never emit "exit".
    child.once("error", (error) => {
      output += `\n${error.message}`;
      done();
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= terminate(child, exit, () => exited, spec.stopSignal);
    return stopping;
  };

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${spec.name} did not start within ${spec.timeoutMs} ms`)),
      spec.timeoutMs,
    );
    const onData = (chunk: string) => {
      output = (output + chunk).slice(-OUTPUT_LIMIT);
      if (spec.ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    // Keep draining after start-up too: a full pipe would block the server's logging.
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding("utf8");
      stream?.on("data", onData);
    }
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`${spec.name} exited during start-up`));
    });
  });

  try {
    await ready;
  } catch (error) {
    await stop();
    const detail = output.trim() ? `\n${spec.name} output:\n${output.trim()}` : "";
    const message = `${(error as Error).message} (${spec.binary} ${spec.args.join(" ")})${detail}`;
    if (spec.portInUse.test(output)) throw new PortInUseError(message);
    throw new Error(message);
  }
  // Let a parent that never calls stop() still exit; the exit hook then kills the server.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
  return { pid: child.pid ?? -1, stop };
}

async function terminate(
  child: ChildProcess,
  exit: Promise<void>,
  hasExited: () => boolean,
  signal: NodeJS.Signals,
) {
  if (hasExited()) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  try {
    await exit;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `start` on `fixedPort`, or on a free port; a port we picked that was taken meanwhile
 * is retried once with another.
 */
export async function onFreePort<T>(
  fixedPort: number | undefined,
  start: (port: number) => Promise<T>,
): Promise<T> {
  try {
    return await start(fixedPort ?? (await getFreePort()));
  } catch (error) {
    if (!(error instanceof PortInUseError) || fixedPort !== undefined) throw error;
    return start(await getFreePort());
  }
}

/** Wraps an async function so that every call after the first returns the first call's promise. */
export function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= run();
    return running;
  };
}
